package com.flashline.job;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class YieldGuardH2Test extends YieldGuardContract {
}
