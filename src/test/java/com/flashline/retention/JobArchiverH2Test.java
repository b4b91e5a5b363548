package com.flashline.retention;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class JobArchiverH2Test extends JobArchiverContract {
}
