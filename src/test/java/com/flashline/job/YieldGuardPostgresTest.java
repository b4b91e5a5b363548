package com.flashline.job;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class YieldGuardPostgresTest extends YieldGuardContract {
}
