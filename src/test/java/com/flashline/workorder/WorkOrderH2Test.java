package com.flashline.workorder;

import com.flashline.support.FlashLineSpringTest;
import org.springframework.context.annotation.Import;

@FlashLineSpringTest
@Import(WorkOrderContract.NoWorkers.class)
class WorkOrderH2Test extends WorkOrderContract {
}
