package com.flashline.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Records every transaction the context's connections commit, with its statements: an explicit
 * {@link Connection#commit()}, the commit that {@code setAutoCommit(true)} makes of an open
 * transaction, and every statement run in auto-commit mode (a transaction of its own). Each is one
 * commit for the database; on an H2 file with {@code WRITE_DELAY=0} each one that changed something
 * is a new chunk written to the file. Rolled-back work is not recorded.
 *
 * <p>{@code @Import(CommitCounter.Setup.class)} on a Spring test wraps its {@link DataSource}.
 */
public final class CommitCounter {

    /** One committed transaction: the thread that committed it and its statements in order. */
    public record Commit(String thread, List<String> statements, boolean autoCommit) {

        /** Whether it changed (or locked) rows: only such a commit makes the database write. */
        public boolean writes() {
            return statements.stream().anyMatch(CommitCounter::writes);
        }

        /** Its statements shortened to their first words, for a breakdown. */
        public String summary() {
            return (autoCommit ? "auto-commit " : "transaction ") + statements.stream()
                    .map(CommitCounter::shorten).toList();
        }
    }

    private static final Set<String> STATEMENT_METHODS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final List<Commit> commits = new CopyOnWriteArrayList<>();

    /** The commits since the last {@link #clear()}, in the order they happened. */
    public List<Commit> commits() {
        return List.copyOf(commits);
    }

    /** Only those that wrote. */
    public List<Commit> writingCommits() {
        return commits.stream().filter(Commit::writes).toList();
    }

    public void clear() {
        commits.clear();
    }

    DataSource wrap(DataSource target) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws SQLException {
                return counted(target.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return counted(target.getConnection(username, password));
            }
        };
    }

    private Connection counted(Connection connection) throws SQLException {
        return (Connection) Proxy.newProxyInstance(CommitCounter.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    private static boolean writes(String sql) {
        String upper = sql.stripLeading().toUpperCase(Locale.ROOT);
        return upper.startsWith("INSERT") || upper.startsWith("UPDATE") || upper.startsWith("DELETE")
                || upper.startsWith("MERGE") || upper.contains(" FOR UPDATE") || upper.contains(" FOR NO KEY UPDATE");
    }

    private static String shorten(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 60 ? flat : flat.substring(0, 60) + "...";
    }

    private final class ConnectionHandler implements InvocationHandler {

        private final Connection target;
        private boolean autoCommit;
        private final List<String> pending = new ArrayList<>();

        ConnectionHandler(Connection target) throws SQLException {
            this.target = target;
            this.autoCommit = target.getAutoCommit();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(target, method, args);
            switch (method.getName()) {
                case "commit" -> committed(false);
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        pending.clear();
                    }
                }
                case "setAutoCommit" -> {
                    boolean on = (Boolean) args[0];
                    if (on && !autoCommit) {
                        committed(false); // JDBC: switching it on commits the open transaction
                    }
                    autoCommit = on;
                }
                case "close" -> pending.clear();
                case "createStatement", "prepareStatement", "prepareCall" -> {
                    String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                    return statement((Statement) result, sql);
                }
                default -> {
                }
            }
            return result;
        }

        private void committed(boolean auto) {
            if (!pending.isEmpty()) {
                commits.add(new Commit(Thread.currentThread().getName(), List.copyOf(pending), auto));
                pending.clear();
            }
        }

        private Statement statement(Statement statement, String preparedSql) {
            List<Class<?>> interfaces = new ArrayList<>();
            for (Class<?> type = statement.getClass(); type != null; type = type.getSuperclass()) {
                for (Class<?> i : type.getInterfaces()) {
                    if (Statement.class.isAssignableFrom(i) && !interfaces.contains(i)) {
                        interfaces.add(i);
                    }
                }
            }
            return (Statement) Proxy.newProxyInstance(CommitCounter.class.getClassLoader(),
                    interfaces.toArray(Class<?>[]::new), (proxy, method, args) -> {
                        Object result = call(statement, method, args);
                        if (STATEMENT_METHODS.contains(method.getName())) {
                            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
                            pending.add(sql == null ? "?" : sql);
                            if (autoCommit) {
                                committed(true);
                            }
                        }
                        return result;
                    });
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Wraps the context's data source; the counter is a bean for the test to inject. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Setup {

        @Bean
        static CommitCounter commitCounter() {
            return new CommitCounter();
        }

        @Bean
        static BeanPostProcessor countingDataSource(org.springframework.beans.factory.ObjectProvider<CommitCounter> counter) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource source && !(bean instanceof DelegatingDataSource)
                            ? counter.getObject().wrap(source) : bean;
                }
            };
        }
    }
}
