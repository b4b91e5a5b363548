package com.flashline.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

class DatabaseGateTest {

    private final DatabaseGate gate = new DatabaseGate(
            new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:gate-test"), Clock.systemUTC(),
            new DefaultListableBeanFactory().getBeanProvider(DataSource.class));

    @Test
    void aFailureReportedByAJobRefusesLaterWritesWithItsRootCause() {
        gate.markDown(new IllegalStateException("could not write the job", new SQLException("Connection refused")));

        assertThat(catchThrowable(gate::requireAvailable)).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessage("the station's database is unavailable: Connection refused");
    }

    @Test
    void theGatesOwnRefusalReportedBackDoesNotRepeatItsMessage() {
        gate.markDown(new SQLException("Connection refused"));
        for (int i = 0; i < 3; i++) {
            Throwable refused = catchThrowable(gate::requireAvailable);
            // a worker whose write the gate refused reports that failure like any other
            gate.markDown(new IllegalStateException("the job's record could not be written", refused));
        }

        assertThat(catchThrowable(gate::requireAvailable))
                .hasMessage("the station's database is unavailable: Connection refused");
    }
}
