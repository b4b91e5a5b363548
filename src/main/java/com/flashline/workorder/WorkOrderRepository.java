package com.flashline.workorder;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface WorkOrderRepository extends JpaRepository<WorkOrderEntity, Long> {

    boolean existsByNumber(String number);

    Page<WorkOrderEntity> findByState(WorkOrderState state, Pageable pageable);
}
