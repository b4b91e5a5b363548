package com.flashline.audit;

import com.flashline.support.PostgresSpringTest;
import org.springframework.test.context.TestPropertySource;

/**
 * In a context (and so a schema) of its own, shared with no other class: the contract damages the
 * chain on purpose and reads its records' predecessors, which another class sharing the schema
 * could have changed, and no later class should find the damage.
 */
@PostgresSpringTest
@TestPropertySource(properties = "flashline.test.context=audit-chain")
class AuditChainPostgresTest extends AuditChainContract {
}
