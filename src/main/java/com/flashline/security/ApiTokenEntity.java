package com.flashline.security;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

@Entity
@Table(name = "api_token")
class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    @Column(name = "token_sha256")
    private String tokenSha256;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "api_token_role", joinColumns = @JoinColumn(name = "token_id"))
    @Column(name = "role")
    @Enumerated(EnumType.STRING)
    private Set<Role> roles = new HashSet<>();
    private Instant createdAt;
    private String createdBy;
    private Instant lastUsedAt;
    private Instant revokedAt;
    private String revokedBy;

    protected ApiTokenEntity() {
    }

    ApiTokenEntity(String name, String tokenSha256, Set<Role> roles, Instant now, String actor) {
        this.name = name;
        this.tokenSha256 = tokenSha256;
        this.roles.addAll(roles);
        this.createdAt = now;
        this.createdBy = actor;
    }

    void revoke(Instant now, String actor) {
        this.revokedAt = now;
        this.revokedBy = actor;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    boolean revoked() {
        return revokedAt != null;
    }

    Set<Role> roles() {
        return roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    }

    Instant createdAt() {
        return createdAt;
    }

    TokenView view() {
        return new TokenView(id, name, roles(), createdAt, createdBy, lastUsedAt);
    }
}
