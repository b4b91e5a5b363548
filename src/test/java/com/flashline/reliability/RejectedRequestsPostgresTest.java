package com.flashline.reliability;

import com.flashline.support.PostgresSpringTest;
import org.springframework.test.context.TestPropertySource;

@PostgresSpringTest
@TestPropertySource(properties = {"flashline.simulator.enabled=true", "flashline.simulator.ports=2",
        "flashline.simulator.plug-at-start=false"})
class RejectedRequestsPostgresTest extends RejectedRequestsContract {

    @Override
    String sequencesQuery() {
        return "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()";
    }
}
