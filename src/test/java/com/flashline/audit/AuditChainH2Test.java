package com.flashline.audit;

import com.flashline.support.FlashLineSpringTest;

@FlashLineSpringTest
class AuditChainH2Test extends AuditChainContract {
}
