package com.flashline.security;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.support.Fixtures;
import com.flashline.support.MutableClock;
import com.jayway.jsonpath.JsonPath;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.TestSecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Sign-in, tokens, lockout, bootstrap and actors through the whole service on a real database (H2
 * and PostgreSQL subclasses). These tests sign in for real (Basic, bearer token, login page); the
 * service's wall clock is a {@link MutableClock} so that lockouts expire without waiting.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SignInContract {

    static final String ADMIN_PASSWORD = "contract-admin-password";

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    MutableClock clock;
    @Autowired
    UserAccounts users;
    @Autowired
    AccountBootstrap bootstrap;
    @Autowired
    AccessControlProperties properties;
    @Autowired
    AuditLog auditLog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Fixtures fixtures;

    @BeforeEach
    void signedOut() {
        TestSecurityContextHolder.clearContext();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String user(Role role, String password) {
        String name = unique(role.name().toLowerCase());
        users.create(new CreateUserRequest(name, password, Set.of(role)), TESTER);
        return name;
    }

    private String createToken(String name, String roles) throws Exception {
        String body = mvc.perform(post("/api/v1/tokens").with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "\",\"roles\":[" + roles + "]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.id").isNumber())
                .andExpect(jsonPath("$.createdAt").exists())
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.token");
    }

    private List<AuditRecord> auditSince(long seq) {
        return auditLog.after(seq, AuditLog.MAX_PAGE).records();
    }

    private long auditHead() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head", Long.class);
    }

    @Test
    void aTokenIsShownOnceStoredHashedUsableAndRevokedFromTheNextRequest() throws Exception {
        long before = auditHead();
        String name = unique("mes");
        String token = createToken(name, "\"MES\"");
        assertThat(token).startsWith(ApiTokens.PREFIX).hasSizeGreaterThanOrEqualTo(ApiTokens.PREFIX.length() + 43);
        String stored = jdbc.queryForObject("SELECT token_sha256 FROM api_token WHERE name = ?", String.class, name);
        assertThat(stored).isEqualTo(ApiTokens.sha256(token)).doesNotContain(token);

        MvcResult used = mvc.perform(get("/api/v1/jobs").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk()).andExpect(header().doesNotExist("Set-Cookie")).andReturn();
        assertThat(used.getRequest().getSession(false)).as("a machine's request leaves no session behind").isNull();
        mvc.perform(get("/api/v1/ports").header("Authorization", "Bearer " + token))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("FORBIDDEN"));
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token))
                .andExpect(jsonPath("$.actor").value("token:" + name))
                .andExpect(jsonPath("$.roles").value(org.hamcrest.Matchers.contains("MES")));

        String listed = mvc.perform(get("/api/v1/tokens").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(listed).doesNotContain(token).doesNotContain(stored).doesNotContain("\"token\"");
        List<String> lastUsed = JsonPath.read(listed, "$[?(@.name == '" + name + "')].lastUsedAt");
        assertThat(lastUsed).singleElement().isEqualTo(clock.instant().toString());

        clock.advance(Duration.ofMinutes(2));
        mvc.perform(get("/api/v1/jobs").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
        listed = mvc.perform(get("/api/v1/tokens").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andReturn().getResponse().getContentAsString();
        assertThat((List<String>) JsonPath.read(listed, "$[?(@.name == '" + name + "')].lastUsedAt"))
                .singleElement().isEqualTo(clock.instant().toString());

        long id = ((Number) JsonPath.<List<Object>>read(listed, "$[?(@.name == '" + name + "')].id").get(0)).longValue();
        mvc.perform(delete("/api/v1/tokens/" + id).with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/jobs").header("Authorization", "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(header().exists("WWW-Authenticate"))
                .andExpect(jsonPath("$.code").value("UNAUTHENTICATED"));
        mvc.perform(get("/api/v1/tokens").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(jsonPath("$[?(@.name == '" + name + "')]").isEmpty());
        mvc.perform(delete("/api/v1/tokens/" + id).with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isNotFound());
        // A name is never reused, so that token:<name> in the audit log names one token.
        mvc.perform(post("/api/v1/tokens").with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + name + "\",\"roles\":[\"MES\"]}"))
                .andExpect(status().isConflict());

        assertThat(auditSince(before)).filteredOn(r -> r.detail() != null && r.detail().contains("name=" + name))
                .extracting(AuditRecord::type, AuditRecord::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditType.TOKEN_CREATED, "admin"),
                        org.assertj.core.groups.Tuple.tuple(AuditType.TOKEN_REVOKED, "admin"));
    }

    @Test
    void whatATokenOrAUserDoesNamesThemInTheRecordsAndInTheAuditLogAsJsonAndCsv() throws Exception {
        long before = auditHead();
        String tokenName = unique("fixture");
        String token = createToken(tokenName, "\"ENGINEER\"");
        MockMultipartFile file = new MockMultipartFile("file", unique("app") + ".bin", "application/octet-stream",
                UUID.randomUUID().toString().getBytes());
        mvc.perform(multipart("/api/v1/firmware").file(file).param("baseAddress", "134217728")
                        .header("Authorization", "Bearer " + token))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.uploadedBy").value("token:" + tokenName));

        String engineer = user(Role.ENGINEER, "engineer-password");
        long recipe = fixtures.recipe().id();
        mvc.perform(put("/api/v1/ports/5-5").with(httpBasic(engineer, "engineer-password"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"label\":\"Nest 5\",\"recipeId\":" + recipe + "}"))
                .andExpect(status().isOk());
        assertThat(jdbc.queryForObject("SELECT updated_by FROM port_setting WHERE path = '5-5'", String.class))
                .isEqualTo(engineer);

        List<AuditRecord> records = auditSince(before);
        assertThat(records).filteredOn(r -> r.type() == AuditType.FIRMWARE_UPLOADED)
                .extracting(AuditRecord::actor).containsExactly("token:" + tokenName, TESTER.name());
        AuditRecord portChanged = records.stream().filter(r -> r.type() == AuditType.PORT_CHANGED).findFirst().orElseThrow();
        assertThat(portChanged.actor()).isEqualTo(engineer);

        mvc.perform(get("/api/v1/audit").param("after", Long.toString(portChanged.seq() - 1)).param("limit", "1")
                        .header("Authorization", "Bearer " + token))
                .andExpect(jsonPath("$.records[0].actor").value(engineer));
        String csv = mvc.perform(get("/api/v1/audit.csv").param("after", Long.toString(portChanged.seq() - 1))
                        .param("limit", "1").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).endsWith(",actor,hash,workOrder,lot,chainVersion");
        assertThat(lines[1]).startsWith(portChanged.seq() + ",PORT_CHANGED,")
                .endsWith("," + engineer + "," + portChanged.hash() + ",,,2");
    }

    @Test
    void aJobNamesWhoStartedItAndWhoCancelledIt(@Autowired com.flashline.station.PortRegistry registry) throws Exception {
        String operator = user(Role.OPERATOR, "operator-password");
        String other = user(Role.OPERATOR, "operator-password");
        String port = "6-" + (1 + (int) (Math.random() * 1000));
        registry.deviceArrived(port, Fixtures.device(port, "SN-" + port));
        long recipe = fixtures.recipe().id();
        long before = auditHead();
        String job = mvc.perform(post("/api/v1/jobs").with(httpBasic(operator, "operator-password"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"port\":\"" + port + "\",\"recipeId\":" + recipe + "}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.startedBy").value(operator))
                .andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(job, "$.id")).longValue();
        mvc.perform(post("/api/v1/jobs/" + id + "/cancel").with(httpBasic(other, "operator-password")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("CANCELLED"))
                .andExpect(jsonPath("$.startedBy").value(operator))
                .andExpect(jsonPath("$.cancelledBy").value(other));
        assertThat(auditSince(before)).filteredOn(r -> r.type() == AuditType.JOB_CANCELLED && Long.valueOf(id).equals(r.jobId()))
                .singleElement().extracting(AuditRecord::actor).isEqualTo(other);
    }

    @Test
    void fiveFailuresWithinAMinuteLockAUsernameForSixtySecondsWithTheSameAnswerAsAWrongPassword() throws Exception {
        String name = user(Role.VIEWER, "the-right-password");
        String wrongAnswer = null;
        for (int i = 0; i < 4; i++) {
            wrongAnswer = refused(name, "wrong-password-" + i);
            clock.advance(Duration.ofSeconds(5));
        }
        mvc.perform(get("/api/v1/station").with(httpBasic(name, "the-right-password"))).andExpect(status().isOk());

        long before = auditHead();
        for (int i = 0; i < 5; i++) {
            refused(name, "wrong-password-" + i);
        }
        String lockedAnswer = refused(name, "the-right-password");
        assertThat(lockedAnswer).isEqualTo(wrongAnswer);
        List<AuditRecord> records = auditSince(before);
        assertThat(records).extracting(AuditRecord::type).containsExactly(AuditType.SIGN_IN_FAILED,
                AuditType.SIGN_IN_FAILED, AuditType.SIGN_IN_FAILED, AuditType.SIGN_IN_FAILED, AuditType.SIGN_IN_FAILED,
                AuditType.SIGN_IN_LOCKED, AuditType.SIGN_IN_FAILED);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.actor()).isEqualTo("anonymous");
            assertThat(r.detail()).contains("username=" + name).doesNotContain("password");
        });
        assertThat(records.get(6).detail()).contains("reason=locked");

        clock.advance(Duration.ofSeconds(59));
        refused(name, "the-right-password");
        clock.advance(Duration.ofSeconds(2));
        mvc.perform(get("/api/v1/station").with(httpBasic(name, "the-right-password"))).andExpect(status().isOk());

        // The login page too, and an unknown username the same way: the answer tells nothing.
        String nobody = unique("nobody");
        for (int i = 0; i < 5; i++) {
            assertThat(refused(nobody, "whatever-" + i)).isEqualTo(wrongAnswer);
        }
        mvc.perform(formLogin("/login").user(name).password("wrong")).andExpect(redirectedUrl("/login?error"));
        assertThat(auditSince(before)).filteredOn(r -> r.type() == AuditType.SIGN_IN_LOCKED)
                .extracting(AuditRecord::detail).anySatisfy(d -> assertThat(d).contains("username=" + nobody));
    }

    private String refused(String username, String password) throws Exception {
        return mvc.perform(get("/api/v1/station").with(httpBasic(username, password)))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("UNAUTHENTICATED"))
                .andReturn().getResponse().getContentAsString();
    }

    @Test
    void theLoginPageGivesASessionThatNeedsTheCsrfTokenToChangeThingsAndSignOutEndsIt() throws Exception {
        String engineer = user(Role.ENGINEER, "engineer-password");
        mvc.perform(get("/login")).andExpect(status().isOk());
        MvcResult signedIn = mvc.perform(formLogin("/login").user(engineer).password("engineer-password"))
                .andExpect(status().isFound()).andReturn();
        MockHttpSession session = (MockHttpSession) signedIn.getRequest().getSession(false);
        mvc.perform(get("/api/v1/me").session(session))
                .andExpect(status().isOk()).andExpect(jsonPath("$.actor").value(engineer));

        String change = "{\"label\":\"by session\"}";
        mvc.perform(put("/api/v1/ports/5-6/label").session(session).contentType(MediaType.APPLICATION_JSON).content(change))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("FORBIDDEN"));
        mvc.perform(put("/api/v1/ports/5-6/label").session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content(change))
                .andExpect(status().isOk()).andExpect(jsonPath("$.label").value("by session"));

        mvc.perform(post("/logout").session(session).with(csrf()).accept(MediaType.TEXT_HTML))
                .andExpect(redirectedUrl("/login?logout"));
        mvc.perform(get("/api/v1/me").session(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void aChangedUsersSessionsEnd() throws Exception {
        String operator = user(Role.OPERATOR, "operator-password");
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin("/login").user(operator)
                .password("operator-password")).andReturn().getRequest().getSession(false);
        mvc.perform(get("/api/v1/me").session(session)).andExpect(status().isOk());
        mvc.perform(put("/api/v1/users/" + operator).with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"enabled\":false}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.enabled").value(false));
        mvc.perform(get("/api/v1/me").session(session)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/me").with(httpBasic(operator, "operator-password"))).andExpect(status().isUnauthorized());
    }

    @Test
    void adminsManageUsersWithThePasswordPolicyAndAtLeastOneAdminRemains() throws Exception {
        String name = unique("line1");
        String tooShort = "only-11-chr";
        mvc.perform(post("/api/v1/users").with(httpBasic("admin", ADMIN_PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + name + "\",\"password\":\"" + tooShort + "\",\"roles\":[\"OPERATOR\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("password"))
                .andExpect(content -> assertThat(content.getResponse().getContentAsString()).doesNotContain(tooShort));
        mvc.perform(post("/api/v1/users").with(httpBasic("admin", ADMIN_PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"system\",\"password\":\"long-enough-pw\",\"roles\":[\"OPERATOR\"]}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/v1/users").with(httpBasic("admin", ADMIN_PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + name + "\",\"password\":\"line1-password\",\"roles\":[\"OPERATOR\"]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.username").value(name))
                .andExpect(jsonPath("$.createdBy").value("admin"))
                .andExpect(jsonPath("$.password").doesNotExist())
                .andExpect(jsonPath("$.passwordHash").doesNotExist());
        assertThat(jdbc.queryForObject("SELECT password_hash FROM app_user WHERE username = ?", String.class, name))
                .startsWith("{bcrypt}");
        mvc.perform(put("/api/v1/users/" + name).with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"roles\":[\"VIEWER\",\"MES\"]}"))
                .andExpect(jsonPath("$.roles").value(org.hamcrest.Matchers.containsInAnyOrder("MES", "VIEWER")));
        mvc.perform(get("/api/v1/users").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(jsonPath("$[?(@.username == '" + name + "')].enabled").value(org.hamcrest.Matchers.contains(true)));
        mvc.perform(delete("/api/v1/users/" + name).with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isNoContent());
        mvc.perform(delete("/api/v1/users/" + name).with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isNotFound());

        mvc.perform(put("/api/v1/users/admin").with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"roles\":[\"VIEWER\"]}"))
                .andExpect(status().isConflict());
        mvc.perform(delete("/api/v1/users/admin").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isConflict());
        mvc.perform(get("/api/v1/me").with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(jsonPath("$.roles").value(org.hamcrest.Matchers.hasItem("ADMIN")));
    }

    @Test
    void thePropertyResetsAdminAndWithoutItAnEmptyDatabaseGetsARandomPasswordLoggedOnce(CapturedOutput output)
            throws Exception {
        mvc.perform(put("/api/v1/users/admin").with(httpBasic("admin", ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"password\":\"someone-changed-it\"}"))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/me").with(httpBasic("admin", ADMIN_PASSWORD))).andExpect(status().isUnauthorized());
        bootstrap.run();
        mvc.perform(get("/api/v1/me").with(httpBasic("admin", ADMIN_PASSWORD))).andExpect(status().isOk());

        List<String> kept = jdbc.queryForList("SELECT username FROM app_user", String.class);
        jdbc.update("DELETE FROM app_user");
        try {
            AccountBootstrap withoutProperty = new AccountBootstrap(users,
                    new AccessControlProperties(null, List.of(), properties.lockout()));
            withoutProperty.run();
            Matcher logged = Pattern.compile("created 'admin' \\(role ADMIN\\) with the password (\\S+) ")
                    .matcher(output.getAll());
            assertThat(logged.find()).as("the random password is logged").isTrue();
            String random = logged.group(1);
            assertThat(random).hasSizeGreaterThanOrEqualTo(AccountRules.MIN_LENGTH);
            mvc.perform(get("/api/v1/me").with(httpBasic("admin", random)))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.roles").value(org.hamcrest.Matchers.hasItem("ADMIN")));
            withoutProperty.run();
            assertThat(output.getAll().split("with the password", -1)).as("logged once").hasSize(2);
        } finally {
            bootstrap.run();
            assertThat(kept).contains("admin");
        }
    }

    @Test
    void passwordsAndTokensNeverReachTheLogOrTheAuditLog(CapturedOutput output) throws Exception {
        String password = "secret-" + UUID.randomUUID();
        String name = unique("secretive");
        mvc.perform(post("/api/v1/users").with(httpBasic("admin", ADMIN_PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"roles\":[\"ADMIN\"]}"))
                .andExpect(status().isCreated());
        String token = createToken(unique("secret-token"), "\"VIEWER\"");
        String wrong = "wrong-" + UUID.randomUUID();
        refused(name, wrong);
        mvc.perform(get("/api/v1/me").with(httpBasic(name, password))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token + "x")).andExpect(status().isUnauthorized());
        mvc.perform(delete("/api/v1/users/" + name).with(httpBasic("admin", ADMIN_PASSWORD)))
                .andExpect(status().isNoContent());

        for (String secret : List.of(password, token, wrong, ADMIN_PASSWORD)) {
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_record WHERE detail LIKE ? OR error_message LIKE ? "
                    + "OR actor LIKE ?", Long.class, "%" + secret + "%", "%" + secret + "%", "%" + secret + "%"))
                    .isZero();
        }
    }

    @Test
    void theWallClockIsTheTestsOwn(@Autowired Clock wallClock) {
        assertThat(wallClock).isSameAs(clock);
    }
}
