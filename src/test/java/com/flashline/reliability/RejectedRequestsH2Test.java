package com.flashline.reliability;

import com.flashline.support.FlashLineSpringTest;
import org.springframework.test.context.TestPropertySource;

@FlashLineSpringTest
@TestPropertySource(properties = {"flashline.simulator.enabled=true", "flashline.simulator.ports=2",
        "flashline.simulator.plug-at-start=false"})
class RejectedRequestsH2Test extends RejectedRequestsContract {

    /** Every identity column's next value, and any other sequence's. */
    @Override
    String sequencesQuery() {
        return "SELECT TABLE_NAME, COLUMN_NAME, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND IS_IDENTITY = 'YES'"
                + " UNION ALL SELECT SEQUENCE_NAME, NULL, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES"
                + " WHERE SEQUENCE_SCHEMA = CURRENT_SCHEMA";
    }
}
