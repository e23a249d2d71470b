package dev.livecounter.broadcaster.tables.items;

import java.math.BigDecimal;
import java.math.BigInteger;

/** The two number grammars that meet here: JSON's, and what DynamoDB's N type can hold. */
final class JsonNumbers {

    /** DynamoDB keeps 38 significant digits, magnitudes from 1E-130 to below 1E+126. */
    static final int MAX_DIGITS = 38;

    private static final int MIN_EXPONENT = -130;
    private static final int MAX_EXPONENT = 125;
    /** Longer text cannot be a DynamoDB number worth the parse (leading and trailing zeros included). */
    private static final int MAX_TEXT = 400;

    private JsonNumbers() {}

    /** Whether {@code s} matches JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static boolean isJsonNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i < n && s.charAt(i) == '0') {
            i++;
        } else {
            int start = i;
            i = digits(s, i);
            if (i == start) {
                return false;
            }
        }
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            i = digits(s, i);
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(s, i);
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * The N text for a JSON number as the mapper produced it. Integers and decimals keep their digits; a double (what
     * the default Micronaut mapper makes of any fraction) is written as its shortest decimal form, so {@code 1.10}
     * comes back as {@code 1.1}: the same number.
     *
     * @throws IllegalArgumentException for NaN, infinities and numbers DynamoDB cannot hold
     */
    static String dynamoNumber(Number number) {
        String text;
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("number " + number + " cannot be stored");
            }
            text = number.toString();
        } else if (number instanceof BigDecimal decimal) {
            text = decimal.toString();
        } else if (number instanceof BigInteger || number instanceof Long || number instanceof Integer
                || number instanceof Short || number instanceof Byte) {
            text = number.toString();
        } else {
            throw new IllegalArgumentException("unsupported number " + number.getClass().getSimpleName());
        }
        check(text);
        return text;
    }

    private static void check(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("number of " + text.length() + " characters cannot be stored");
        }
        BigDecimal value = new BigDecimal(text).stripTrailingZeros();
        if (value.signum() == 0) {
            return;
        }
        if (value.precision() > MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "number " + text + " has more than " + MAX_DIGITS + " significant digits");
        }
        long exponent = (long) value.precision() - value.scale() - 1;
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            throw new IllegalArgumentException("number " + text + " is outside DynamoDB's range 1E-130 to 1E+126");
        }
    }

    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
