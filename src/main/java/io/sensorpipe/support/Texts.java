package io.sensorpipe.support;

import java.util.Locale;

/** Texts that input controls, as they may be stored or shown: bounded, saying what was cut. */
public final class Texts {

    private Texts() {
    }

    /**
     * The text when it has at most {@code max} characters; otherwise its first {@code max} characters
     * followed by a marker saying how many were cut. Never splits a surrogate pair.
     */
    public static String cut(String text, int max) {
        if (text == null || max <= 0 || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + String.format(Locale.ROOT, "… [%,d more characters cut]", text.length() - end);
    }
}
