package com.flashline.catalog;

import com.flashline.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/recipes")
@Tag(name = "Recipes", description = "How a product is flashed")
class RecipeController {

    private final RecipeService recipes;

    RecipeController(RecipeService recipes) {
        this.recipes = recipes;
    }

    @Operation(summary = "Create a recipe")
    @PostMapping
    ResponseEntity<Recipe> create(@Valid @RequestBody CreateRecipeRequest request, Actor actor) {
        Recipe recipe = recipes.create(request, actor);
        return ResponseEntity.created(URI.create("/api/v1/recipes/" + recipe.id())).body(recipe);
    }

    @Operation(summary = "All recipes, oldest first")
    @GetMapping
    List<Recipe> list() {
        return recipes.list();
    }

    @Operation(summary = "One recipe")
    @GetMapping("/{id}")
    Recipe get(@PathVariable long id) {
        return recipes.get(id);
    }
}
