package com.flashline.retention;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class JobArchiverPostgresTest extends JobArchiverContract {
}
