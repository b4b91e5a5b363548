package com.flashline.security;

import com.flashline.audit.AuditLog;
import java.time.Clock;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two filter chains with the same rules ({@link AccessRules}), because the dashboard's browser
 * calls the same API as the machines do:
 * <ul>
 *   <li>requests that carry {@code Authorization} (machines, scripts): HTTP Basic (a user) or
 *       {@code Bearer} (an API token), checked on every request; stateless (no session is created
 *       or read, nothing is remembered between requests) and without CSRF tokens, which a
 *       cross-site page could not use anyway: it cannot set that header, and FlashLine never asks
 *       a browser for Basic credentials it would then send by itself (pages are sent to the login
 *       page instead of a Basic challenge);</li>
 *   <li>every other request (people in a browser): the login page, a session, and CSRF protection
 *       on every change (the token in the {@code XSRF-TOKEN} cookie, sent back as
 *       {@code X-XSRF-TOKEN} or the form's {@code _csrf} field).</li>
 * </ul>
 * Refusals are problem documents, written by the web edge's entry point and access-denied handler
 * ({@code web.SecurityProblems}), which this configuration knows only by Spring Security's interfaces.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessControlProperties.class)
class SecurityConfiguration {

    @Bean
    @Order(1)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain machineSecurity(HttpSecurity http, PasswordSignIn passwordSignIn, ApiTokens tokens,
            AuthenticationEntryPoint problems, AccessDeniedHandler denied) throws Exception {
        http.securityMatcher(new RequestHeaderRequestMatcher(HttpHeaders.AUTHORIZATION))
                .authorizeHttpRequests(AccessRules::apply)
                // Its own manager, without the global one as a parent that would check a refused password twice.
                .authenticationManager(new ProviderManager(passwordSignIn))
                .addFilterBefore(new BearerTokenFilter(tokens, problems), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(denied));
        return http.build();
    }

    @Bean
    @Order(2)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain browserSecurity(HttpSecurity http, PasswordSignIn passwordSignIn, SessionRegistry sessions,
            AuthenticationEntryPoint problems, AccessDeniedHandler denied) throws Exception {
        RequestMatcher page = browserPage();
        AuthenticationEntryPoint loginPage = new LoginUrlAuthenticationEntryPoint("/login");
        AuthenticationEntryPoint signIn = (request, response, refused) ->
                (page.matches(request) ? loginPage : problems).commence(request, response, refused);
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();
        pagesOnly.setRequestMatcher(page);
        http.authorizeHttpRequests(AccessRules::apply)
                .authenticationManager(new ProviderManager(passwordSignIn))
                .formLogin(form -> form.defaultSuccessUrl("/"))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .csrf(csrf -> csrf.spa())
                .requestCache(cache -> cache.requestCache(pagesOnly))
                .sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessions)
                        .expiredSessionStrategy(expired -> signIn.commence(expired.getRequest(), expired.getResponse(),
                                null)))
                .exceptionHandling(errors -> errors.accessDeniedHandler(denied)
                        // As the first default rather than the entry point, which would turn off the login page.
                        .defaultAuthenticationEntryPointFor(signIn, AnyRequestMatcher.INSTANCE));
        return http.build();
    }

    /** A browser asking for a page (not a script's request for data): sent to the login page. */
    private static RequestMatcher browserPage() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return new AndRequestMatcher(html,
                new NegatedRequestMatcher(new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest")));
    }

    /**
     * No observation of the filter chain, authentication or authorization at all. Turning them off
     * by property ({@code management.observations.enable.spring.security=false}) only makes each one
     * a no-op: the chain is still decorated, every filter of every request wrapped and its no-op
     * observation created. Without this the decoration is not built, which the profile of
     * {@code GET /ports} and {@code GET /jobs} under load showed as part of their CPU
     * (docs/benchmarks.md, "servicecpu"); {@code http.server.requests} still times every request.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return Role.hierarchy();
    }

    /** bcrypt through Spring Security's delegating encoder, so stored hashes say their algorithm ({bcrypt}...). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    PasswordSignIn passwordSignIn(UserAccounts users, PasswordEncoder encoder, AccessControlProperties properties,
            AuditLog auditLog, Clock clock) {
        return new PasswordSignIn(users, encoder, new SignInAttempts(clock, properties.lockout()), auditLog);
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when a session ends. */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }
}
