package com.flashline.config;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Makes every commit to an H2 file database durable when it returns, as PostgreSQL's commits are.
 * H2 keeps committed changes in memory and writes them to its file up to {@code WRITE_DELAY}
 * (default 500 ms) later, so a service killed ({@code kill -9}) lost the commits of its last half
 * second: a job seen in WRITE with bytes done came back INTERRUPTED in ERASE, and a board just
 * reported PASSED could lose its record. {@code WRITE_DELAY=0} writes the store at each commit
 * (about 1.5 ms more per commit, measured in docs/reliability.md); a running job commits once per
 * phase change (a finished phase's timing goes with the next one's entry), never per block.
 *
 * <p>Added to the connection URL of the pool, not set once with {@code SET WRITE_DELAY}: H2 closes
 * a file database with its last connection and opens it again with the default. A URL that names
 * {@code WRITE_DELAY} itself keeps its choice; in-memory H2 (tests, the demo) has no file to lose.
 */
@Component
public class H2CommitDurability implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(H2CommitDurability.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // The pool opens its first connection lazily, so its URL may still change here.
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            String durable = durable(pool.getJdbcUrl());
            if (!durable.equals(pool.getJdbcUrl())) {
                pool.setJdbcUrl(durable);
                log.info("H2 file database: WRITE_DELAY=0, every commit is in the file when it returns");
            }
        }
        return bean;
    }

    /** {@code url} with {@code ;WRITE_DELAY=0} when it is an H2 database on a file that does not set it. */
    public static String durable(String url) {
        if (!isH2File(url) || url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }

    /** Whether {@code url} names an H2 database kept in a file (embedded or behind an H2 server), not in memory. */
    public static boolean isH2File(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:");
    }
}
