package com.flashline.audit;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class AuditCursorPostgresTest extends AuditCursorContract {

    @Override
    String sessionIdQuery() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    String sessionsBlockedByQuery() {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE CAST(? AS integer) = ANY (pg_blocking_pids(pid))";
    }
}
