package com.flashline.serial;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class SerialAllocatorH2Test extends SerialAllocatorContract {
}
