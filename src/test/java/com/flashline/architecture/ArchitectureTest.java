package com.flashline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The shape of the code, checked by the build: the protocol core stays a plain-Java library, the
 * packages form no cycle, and HTTP stays at the edge. A change that breaks one of these fails here
 * with the offending dependencies listed.
 */
class ArchitectureTest {

    /** The Spring-free core: protocol engine, ROM behaviour table, simulator, image readers, pipeline, USB adapter. */
    static final String[] CORE = {
        "com.flashline.dfu..", "com.flashline.sim..", "com.flashline.firmware..",
        "com.flashline.flashing..", "com.flashline.usb..", "com.flashline.error..", "com.flashline.rom.."
    };

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.flashline");
    }

    @Test
    void coreUsesNeitherSpringNorJpa() {
        ArchRule rule = noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta.persistence..", "org.hibernate..",
                        "jakarta.servlet..", "jakarta.validation..", "io.micrometer..")
                .because("the protocol core is a library someone could lift out of the service");
        rule.check(main);
    }

    @Test
    void coreDependsOnlyOnItselfTheJdkAndItsTwoLibraries() {
        ArchRule rule = classes().that().resideInAnyPackage(CORE)
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        concat(CORE, "java..", "javax.crypto..", "org.slf4j..", "org.usb4java.."))
                .because("the service builds on the core, never the other way round");
        rule.check(main);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("com.flashline.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void webTypesAreUsedOnlyByControllersAndTheAdvice() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("com.flashline.web..")
                .and().areNotAnnotatedWith(RestController.class)
                .and().areNotAnnotatedWith(Controller.class)
                .and().areNotAnnotatedWith(RestControllerAdvice.class)
                .should().dependOnClassesThat().resideInAPackage("com.flashline.web..")
                .because("services throw domain exceptions; only the web edge speaks HTTP");
        rule.check(main);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
