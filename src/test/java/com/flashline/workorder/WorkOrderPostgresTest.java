package com.flashline.workorder;

import com.flashline.support.PostgresSpringTest;
import org.springframework.context.annotation.Import;

@PostgresSpringTest
@Import(WorkOrderContract.NoWorkers.class)
class WorkOrderPostgresTest extends WorkOrderContract {
}
