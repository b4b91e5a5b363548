package com.flashline.job;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class JobPersistenceH2Test extends JobPersistenceContract {
}
