package com.flashline.workorder;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A work order as stored. Created through JPA; its state and counts change only through the
 * conditional statements of {@link WorkOrderService}, which say which row they lock.
 */
@Entity
@Table(name = "work_order")
class WorkOrderEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String number;
    private String product;
    private String lot;
    private long recipeId;
    private int quantity;
    private int passed;
    private int failed;
    @Enumerated(EnumType.STRING)
    private WorkOrderState state;
    private String activeStationId;
    private Instant createdAt;
    private String createdBy;
    private Instant updatedAt;

    protected WorkOrderEntity() {
    }

    WorkOrderEntity(String number, String product, String lot, long recipeId, int quantity, Instant now,
            String createdBy) {
        this.number = number;
        this.product = product;
        this.lot = lot;
        this.recipeId = recipeId;
        this.quantity = quantity;
        this.state = WorkOrderState.OPEN;
        this.createdAt = now;
        this.createdBy = createdBy;
        this.updatedAt = now;
    }

    Long id() {
        return id;
    }

    WorkOrderView view() {
        return new WorkOrderView(id, number, product, lot, recipeId, quantity, passed, failed, state, createdAt,
                createdBy);
    }
}
