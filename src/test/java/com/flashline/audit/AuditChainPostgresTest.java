package com.flashline.audit;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class AuditChainPostgresTest extends AuditChainContract {
}
