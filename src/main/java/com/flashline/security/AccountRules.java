package com.flashline.security;

/** User and token names and passwords: the rules, in one place for requests and configuration. */
final class AccountRules {

    /** The policy: at least 12 characters. */
    static final int MIN_LENGTH = 12;
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut (and is refused by the encoder). */
    static final int MAX_LENGTH = 72;
    /** User and token names: no ':' (so {@code token:<name>} is never a username), no spaces. */
    static final String NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";
    static final String NAME_MESSAGE = "must be 1..64 letters, digits or . _ @ -, starting with a letter or digit";

    private AccountRules() {
    }
}
