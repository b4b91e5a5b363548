package com.flashline.security;

import com.flashline.web.SecurityProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static java.util.Map.entry;

import com.flashline.support.SimulatedStationTest;
import com.flashline.web.SecurityProblems;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.test.context.TestSecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every request mapping of the running service (controllers, springdoc, actuator: whatever
 * {@link RequestMappingInfoHandlerMapping}s hold) against one expected table of who may call it,
 * asked of the configured authorization rules for anonymous callers and for each role alone. An
 * endpoint missing from the table fails the test: a new endpoint needs a rule here and in
 * {@code AccessRules}. The simulated station's context, so that the simulator's endpoints exist.
 */
@SimulatedStationTest
class AccessRulesTest {

    private static final String ANYONE = "anyone";
    private static final String SIGNED_IN = "MES VIEWER OPERATOR ENGINEER ADMIN";
    private static final String READERS = "VIEWER OPERATOR ENGINEER ADMIN";
    private static final String MES = "MES " + READERS;
    private static final String OPERATORS = "OPERATOR ENGINEER ADMIN";
    private static final String ENGINEERS = "ENGINEER ADMIN";
    private static final String ADMINS = "ADMIN";
    private static final String NOBODY = "";

    /** "METHOD pattern" (ANY: a mapping for every method) → who may call it: the issue's role table. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            entry("GET /api/v1/jobs", MES),
            entry("GET /api/v1/jobs/{id}", MES),
            entry("POST /api/v1/jobs", OPERATORS),
            entry("POST /api/v1/jobs/{id}/cancel", OPERATORS),
            entry("GET /api/v1/audit", MES),
            entry("GET /api/v1/audit.csv", MES),
            entry("GET /api/v1/audit/verify", "MES ADMIN"),
            entry("GET /api/v1/firmware", MES),
            entry("GET /api/v1/firmware/{id}", MES),
            entry("POST /api/v1/firmware", ENGINEERS),
            entry("GET /api/v1/recipes", READERS),
            entry("GET /api/v1/recipes/{id}", READERS),
            entry("POST /api/v1/recipes", ENGINEERS),
            entry("GET /api/v1/work-orders", MES),
            entry("GET /api/v1/work-orders/{id}", MES),
            entry("POST /api/v1/work-orders", ENGINEERS),
            entry("POST /api/v1/work-orders/{id}/activate", OPERATORS),
            entry("POST /api/v1/work-orders/{id}/close", ENGINEERS),
            entry("GET /api/v1/station", READERS),
            entry("PUT /api/v1/station", ENGINEERS),
            entry("GET /api/v1/ports", READERS),
            entry("GET /api/v1/ports/{path}", READERS),
            entry("PUT /api/v1/ports/{path}", ENGINEERS),
            entry("PUT /api/v1/ports/{path}/label", OPERATORS),
            entry("POST /api/v1/ports/{path}/enable", OPERATORS),
            entry("POST /api/v1/station/enable", OPERATORS),
            entry("GET /api/v1/devices", READERS),
            entry("GET /api/v1/simulator/ports", READERS),
            entry("GET /api/v1/events", READERS),
            entry("GET /api/v1/stats", READERS),
            entry("POST /api/v1/simulator/ports/{path}/board", OPERATORS),
            entry("POST /api/v1/simulator/boards", OPERATORS),
            entry("DELETE /api/v1/simulator/ports/{path}/board", OPERATORS),
            entry("GET /api/v1/users", ADMINS),
            entry("POST /api/v1/users", ADMINS),
            entry("PUT /api/v1/users/{username}", ADMINS),
            entry("DELETE /api/v1/users/{username}", ADMINS),
            entry("GET /api/v1/tokens", ADMINS),
            entry("POST /api/v1/tokens", ADMINS),
            entry("DELETE /api/v1/tokens/{id}", ADMINS),
            entry("GET /api/v1/me", SIGNED_IN),
            // The API description: open (see docs/api.md), it holds no data and no secret.
            entry("GET /v3/api-docs", ANYONE),
            entry("GET /v3/api-docs.yaml", ANYONE),
            entry("GET /v3/api-docs/swagger-config", ANYONE),
            entry("GET /swagger-ui.html", ANYONE),
            entry("ANY /error", ANYONE),
            // Actuator: probes open, metrics for the signed-in, the endpoint list for nobody.
            entry("GET /actuator/health", ANYONE),
            entry("GET /actuator/health/**", ANYONE),
            entry("GET /actuator/prometheus", SIGNED_IN),
            entry("GET /actuator/info", READERS),
            entry("GET /actuator/metrics", READERS),
            entry("GET /actuator/metrics/{requiredMetricName}", READERS),
            entry("GET /actuator", NOBODY));

    @Autowired
    ApplicationContext context;
    @Autowired
    List<SecurityFilterChain> chains;
    @Autowired
    MockMvc mvc;

    @BeforeEach
    void signedOut() {
        TestSecurityContextHolder.clearContext();
    }

    @Test
    void everyEndpointHasTheExpectedRuleForAnonymousCallersAndForEachRole() {
        Map<String, String> mapped = mappings();
        assertThat(mapped.keySet()).as("the expected table names only endpoints the service has")
                .containsAll(EXPECTED.keySet());
        List<String> withoutRule = mapped.keySet().stream().filter(k -> !EXPECTED.containsKey(k)).sorted().toList();
        assertThat(withoutRule).as("endpoints missing from the expected table (give each a rule in AccessRules)")
                .isEmpty();

        assertThat(chains).as("the machines' chain and the browsers' chain").hasSize(2);
        List<String> wrong = new ArrayList<>();
        for (SecurityFilterChain chain : chains) {
            check(wrong, mapped, authorizationManager(chain));
        }
        assertThat(wrong).as("rules that differ from the expected table").isEmpty();
    }

    private static void check(List<String> wrong, Map<String, String> mapped,
            AuthorizationManager<HttpServletRequest> rules) {
        mapped.forEach((endpoint, example) -> {
            Set<String> allowed = Set.of(EXPECTED.get(endpoint).split(" "));
            String[] methodAndPath = example.split(" ", 2);
            for (String method : methodsOf(methodAndPath[0])) {
                check(wrong, rules, endpoint, method, methodAndPath[1], "anonymous", anonymous(), allowed.contains(ANYONE));
                for (Role role : Role.values()) {
                    check(wrong, rules, endpoint, method, methodAndPath[1], role.name(), signedIn(role),
                            allowed.contains(ANYONE) || allowed.contains(role.name()));
                }
            }
        });
    }

    @Test
    void everyRoleInTheTableIsARealRole() {
        Set<String> names = Arrays.stream(Role.values()).map(Role::name).collect(Collectors.toSet());
        names.add(ANYONE);
        EXPECTED.values().forEach(who -> Arrays.stream(who.split(" ")).filter(w -> !w.isEmpty())
                .forEach(w -> assertThat(names).contains(w)));
    }

    @Test
    void refusalsAreProblemDocuments() throws Exception {
        mvc.perform(get("/api/v1/jobs").with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.anonymous()))
                .andExpect(status().isUnauthorized())
                .andExpect(header().stringValues("WWW-Authenticate", "Basic realm=\"FlashLine\"",
                        "Bearer realm=\"FlashLine\""))
                .andExpect(jsonPath("$.code").value("UNAUTHENTICATED"))
                .andExpect(jsonPath("$.type").value("urn:flashline:problem:unauthenticated"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.instance").value("/api/v1/jobs"));
        mvc.perform(post("/api/v1/jobs").with(user("viewer").roles("VIEWER")).with(
                        org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .contentType("application/json").content("{\"port\":\"1-1\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("FORBIDDEN"))
                .andExpect(jsonPath("$.type").value("urn:flashline:problem:forbidden"))
                .andExpect(jsonPath("$.detail").value(SecurityProblems.FORBIDDEN_DETAIL));
        // The same answer whether the resource exists or not.
        String missing = mvc.perform(get("/api/v1/users/no-such-user").with(user("m").roles("MES")))
                .andExpect(status().isForbidden()).andReturn().getResponse().getContentAsString();
        String existing = mvc.perform(get("/api/v1/users").with(user("m").roles("MES")))
                .andExpect(status().isForbidden()).andReturn().getResponse().getContentAsString();
        assertThat(missing.replace("/api/v1/users/no-such-user", "/api/v1/users")).isEqualTo(existing);
    }

    @Test
    void aBrowserIsSentToTheLoginPageInsteadOfABasicChallenge() throws Exception {
        mvc.perform(get("/api/v1/ports").accept("text/html"))
                .andExpect(status().isFound())
                .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/login")))
                .andExpect(header().doesNotExist("WWW-Authenticate"));
    }

    /** "METHOD pattern" of every mapping → an example request "METHOD path" for it. */
    private Map<String, String> mappings() {
        Map<String, String> endpoints = new TreeMap<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        endpoints.put("ANY " + pattern, "ANY " + example(pattern));
                    }
                    for (RequestMethod method : methods) {
                        endpoints.put(method.name() + " " + pattern, method.name() + " " + example(pattern));
                    }
                }
            }
        }
        return endpoints;
    }

    private static String example(String pattern) {
        return pattern.replace("**", "liveness")
                .replace("{path}", "sim-1")
                .replace("{username}", "someone")
                .replace("{requiredMetricName}", "jvm.threads.live")
                .replaceAll("\\{[^}]+}", "7");
    }

    private static List<String> methodsOf(String method) {
        return method.equals("ANY") ? List.of("GET", "POST", "PUT", "DELETE") : List.of(method);
    }

    private static void check(List<String> wrong, AuthorizationManager<HttpServletRequest> rules, String endpoint,
            String method, String path, String who, Authentication caller, boolean expected) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        AuthorizationResult result = rules.authorize(() -> caller, request);
        boolean granted = result != null && result.isGranted();
        if (granted != expected) {
            wrong.add(endpoint + " (" + method + " " + path + ") for " + who + ": " + (granted ? "granted" : "refused")
                    + ", expected " + (expected ? "granted" : "refused"));
        }
    }

    private static Authentication anonymous() {
        return new AnonymousAuthenticationToken("test", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    }

    private static Authentication signedIn(Role role) {
        return UsernamePasswordAuthenticationToken.authenticated("someone-" + role, null,
                AuthorityUtils.createAuthorityList(role.authority()));
    }

    @SuppressWarnings("unchecked")
    private static AuthorizationManager<HttpServletRequest> authorizationManager(SecurityFilterChain chain) {
        for (Filter filter : chain.getFilters()) {
            if (filter instanceof AuthorizationFilter authorization) {
                return (AuthorizationManager<HttpServletRequest>) authorization.getAuthorizationManager();
            }
        }
        return fail("the security filter chain has no AuthorizationFilter");
    }

    @Test
    void theTableCoversEveryRoleOfTheIssue() {
        assertThat(EnumSet.allOf(Role.class)).extracting(Role::name)
                .containsExactly("MES", "VIEWER", "OPERATOR", "ENGINEER", "ADMIN");
    }
}
