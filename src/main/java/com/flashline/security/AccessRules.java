package com.flashline.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import jakarta.servlet.DispatcherType;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * Who may call what: one rule per method and path, in the order they are matched. A request no
 * rule matches is refused (deny by default), so a new endpoint is closed until it has a rule
 * here. Roles include the ones below them ({@link Role}), so each rule names the least role
 * that may.
 */
final class AccessRules {

    /**
     * Anyone, signed in or not; any signed-in caller; holders of a role (or a higher one); or
     * holders of exactly one of some roles ({@code only}, the hierarchy not applied).
     */
    record Access(boolean open, Role least, Set<Role> only) {
        static final Access ANYONE = new Access(true, null, Set.of());
        static final Access SIGNED_IN = new Access(false, null, Set.of());

        static Access role(Role least) {
            return new Access(false, least, Set.of());
        }

        static Access only(Role... roles) {
            return new Access(false, null, Set.of(roles));
        }
    }

    /** {@code method} null: every method. */
    record Rule(HttpMethod method, Access access, String... patterns) {
    }

    private static final Access ANYONE = Access.ANYONE;
    private static final Access SIGNED_IN = Access.SIGNED_IN;
    private static final Access MES = Access.role(Role.MES);
    private static final Access VIEWER = Access.role(Role.VIEWER);
    private static final Access OPERATOR = Access.role(Role.OPERATOR);
    private static final Access ENGINEER = Access.role(Role.ENGINEER);
    private static final Access ADMIN = Access.role(Role.ADMIN);

    static final List<Rule> RULES = List.of(
            // Probes, the sign-in page and the API description: nothing in them is secret, and
            // they are needed before anyone has signed in. Health details only for the signed-in
            // (management.endpoint.health.show-details).
            new Rule(GET, ANYONE, "/actuator/health", "/actuator/health/**"),
            new Rule(null, ANYONE, "/login", "/logout", "/error"),
            // The dashboard's scripts and styles hold no data (the API behind them is guarded);
            // its page is for the signed-in, so that a browser is sent to the login page first.
            new Rule(GET, ANYONE, "/app/**", "/favicon.svg"),
            new Rule(GET, SIGNED_IN, "/", "/index.html"),
            new Rule(GET, ANYONE, "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                    "/swagger-ui/**"),
            new Rule(GET, SIGNED_IN, "/actuator/prometheus", "/api/v1/me"),
            new Rule(GET, VIEWER, "/actuator/info", "/actuator/metrics", "/actuator/metrics/**"),

            new Rule(GET, MES, "/api/v1/jobs", "/api/v1/jobs/*"),
            new Rule(POST, OPERATOR, "/api/v1/jobs", "/api/v1/jobs/*/cancel"),
            new Rule(GET, MES, "/api/v1/audit", "/api/v1/audit.csv"),
            // Reads the whole log: for the MES that checks it and for administrators, not for every reader.
            new Rule(GET, Access.only(Role.MES, Role.ADMIN), "/api/v1/audit/verify"),
            new Rule(GET, MES, "/api/v1/firmware", "/api/v1/firmware/*"),
            new Rule(POST, ENGINEER, "/api/v1/firmware"),
            new Rule(GET, VIEWER, "/api/v1/recipes", "/api/v1/recipes/*"),
            // MES reads work orders with the jobs and records that carry their numbers.
            new Rule(GET, MES, "/api/v1/work-orders", "/api/v1/work-orders/*"),
            new Rule(POST, ENGINEER, "/api/v1/work-orders", "/api/v1/work-orders/*/close"),
            new Rule(POST, OPERATOR, "/api/v1/work-orders/*/activate"),
            new Rule(POST, ENGINEER, "/api/v1/recipes"),

            new Rule(GET, VIEWER, "/api/v1/station", "/api/v1/ports", "/api/v1/ports/*", "/api/v1/devices"),
            new Rule(PUT, ENGINEER, "/api/v1/station", "/api/v1/ports/*"),
            new Rule(PUT, OPERATOR, "/api/v1/ports/*/label"),
            new Rule(POST, OPERATOR, "/api/v1/ports/*/enable", "/api/v1/station/enable"),
            new Rule(GET, VIEWER, "/api/v1/simulator/ports"),
            // The live stream carries ports and the station, which MES may not read.
            new Rule(GET, VIEWER, "/api/v1/events", "/api/v1/stats"),
            new Rule(POST, OPERATOR, "/api/v1/simulator/ports/*/board", "/api/v1/simulator/boards"),
            new Rule(DELETE, OPERATOR, "/api/v1/simulator/ports/*/board"),

            new Rule(null, ADMIN, "/api/v1/users", "/api/v1/users/*", "/api/v1/tokens", "/api/v1/tokens/*"));

    private AccessRules() {
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry requests) {
        // The later dispatches of an asynchronous answer (a stream): its request was authorised already.
        requests.dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll();
        for (Rule rule : RULES) {
            var matched = rule.method() == null ? requests.requestMatchers(rule.patterns())
                    : requests.requestMatchers(rule.method(), rule.patterns());
            Access access = rule.access();
            if (access.open()) {
                matched.permitAll();
            } else if (!access.only().isEmpty()) {
                Set<String> authorities = access.only().stream().map(Role::authority).collect(Collectors.toSet());
                matched.access((authentication, request) -> new AuthorizationDecision(
                        authentication.get().getAuthorities().stream()
                                .anyMatch(granted -> authorities.contains(granted.getAuthority()))));
            } else if (access.least() == null) {
                matched.authenticated();
            } else {
                matched.hasRole(access.least().name());
            }
        }
        requests.anyRequest().denyAll();
    }
}
