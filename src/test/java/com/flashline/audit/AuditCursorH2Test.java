package com.flashline.audit;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class AuditCursorH2Test extends AuditCursorContract {
}
