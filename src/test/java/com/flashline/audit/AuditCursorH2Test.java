package com.flashline.audit;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class AuditCursorH2Test extends AuditCursorContract {

    @Override
    String sessionIdQuery() {
        return "SELECT SESSION_ID()";
    }

    @Override
    String sessionsBlockedByQuery() {
        return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID = ?";
    }
}
