package com.flashline.audit;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class AuditCursorPostgresTest extends AuditCursorContract {
}
