package com.flashline.serial;

import com.flashline.support.PostgresSpringTest;

@PostgresSpringTest
class SerialAllocatorPostgresTest extends SerialAllocatorContract {
}
