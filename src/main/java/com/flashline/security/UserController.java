package com.flashline.security;

import com.flashline.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "People who sign in, and their roles (ADMIN only)")
class UserController {

    private final UserAccounts users;

    UserController(UserAccounts users) {
        this.users = users;
    }

    @Operation(summary = "Create a user (password: at least 12 characters)")
    @PostMapping
    ResponseEntity<UserView> create(@Valid @RequestBody CreateUserRequest request, Actor actor) {
        UserView user = users.create(request, actor);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.username())).body(user);
    }

    @Operation(summary = "All users, by name")
    @GetMapping
    List<UserView> list() {
        return users.list();
    }

    @Operation(summary = "Change a user's roles, password or enabled flag (left-out fields stay); ends the user's sessions")
    @PutMapping("/{username}")
    UserView update(@PathVariable @Pattern(regexp = AccountRules.NAME_REGEX) String username,
                    @Valid @RequestBody UpdateUserRequest request, Actor actor) {
        return users.update(username, request, actor);
    }

    @Operation(summary = "Delete a user (the last enabled ADMIN cannot be deleted)")
    @DeleteMapping("/{username}")
    ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = AccountRules.NAME_REGEX) String username,
                                Actor actor) {
        users.delete(username, actor);
        return ResponseEntity.noContent().build();
    }
}
