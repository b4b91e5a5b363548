package com.flashline.workorder;

import java.util.List;

/** One page of work orders, newest first. */
public record WorkOrderPage(List<WorkOrderView> items, int page, int size, long totalElements, int totalPages) {
}
