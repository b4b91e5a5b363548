package com.flashline.security;

import com.flashline.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens", description = "API tokens for machines: Authorization: Bearer <token> (ADMIN only)")
class TokenController {

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Operation(summary = "Create a token; the answer is the only place it is ever shown")
    @PostMapping
    ResponseEntity<CreatedToken> create(@Valid @RequestBody CreateTokenRequest request, Actor actor) {
        CreatedToken created = tokens.create(request, actor);
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id())).body(created);
    }

    @Operation(summary = "The tokens that are not revoked, without their secrets, with when each was last used")
    @GetMapping
    List<TokenView> list() {
        return tokens.list();
    }

    @Operation(summary = "Revoke a token: refused from the next request on")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id, Actor actor) {
        tokens.revoke(id, actor);
        return ResponseEntity.noContent().build();
    }
}
