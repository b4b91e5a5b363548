package com.flashline.job;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class JobPersistencePostgresTest extends JobPersistenceContract {
}
