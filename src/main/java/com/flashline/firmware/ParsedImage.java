package com.flashline.firmware;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What a format reader produces before hashing. */
record ParsedImage(List<Segment> segments, OptionalLong entryPoint, Optional<DfuSuffix> dfuSuffix) {

    ParsedImage(List<Segment> segments, OptionalLong entryPoint) {
        this(segments, entryPoint, Optional.empty());
    }
}
