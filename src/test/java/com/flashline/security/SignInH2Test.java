package com.flashline.security;

import com.flashline.support.FlashLineSpringTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

@FlashLineSpringTest
@Import(SignInContract.TestClock.class)
@TestPropertySource(properties = "flashline.security.admin-password=" + SignInContract.ADMIN_PASSWORD)
class SignInH2Test extends SignInContract {
}
