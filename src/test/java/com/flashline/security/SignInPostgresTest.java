package com.flashline.security;

import com.flashline.support.PostgresSpringTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

@PostgresSpringTest
@Import(SignInContract.TestClock.class)
@TestPropertySource(properties = "flashline.security.admin-password=" + SignInContract.ADMIN_PASSWORD)
class SignInPostgresTest extends SignInContract {
}
