package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final List<Flag> FLAGS = List.of(
            Flag.repeatable("bind", "URL", "where"),
            Flag.value("count", "N", "how many"),
            Flag.toggle("verbose", "more"),
            Flag.HELP);

    private static Args parse(String... args) throws CommandException {
        return Args.parse(FLAGS, List.of(args));
    }

    private static String usageError(String... args) {
        CommandException e = assertThrows(CommandException.class, () -> parse(args));
        assertEquals(CommandException.USAGE, e.exitCode());
        assertTrue(e.isUsageError());
        return e.getMessage();
    }

    @Test
    void valueAsNextArgumentOrAfterEquals() throws CommandException {
        assertEquals(Optional.of("3"), parse("--count", "3").value("count"));
        assertEquals(Optional.of("3"), parse("--count=3").value("count"));
        // Only the first '=' separates: a URL may hold more.
        assertEquals(Optional.of("mqtt://h:1/?a=b"), parse("--bind=mqtt://h:1/?a=b").value("bind"));
        assertEquals(Optional.of(""), parse("--count=").value("count"));
        // A value may start with a single dash (a negative number).
        assertEquals(OptionalLong.of(-1), parse("--count", "-1").number("count"));
    }

    @Test
    void repeatableFlagKeepsEveryValueInOrder() throws CommandException {
        Args args = parse("--bind", "a", "--verbose", "--bind=b", "--bind", "c");
        assertEquals(List.of("a", "b", "c"), args.values("bind"));
        assertEquals(Optional.of("a"), args.value("bind"));
    }

    @Test
    void absentFlags() throws CommandException {
        Args args = parse();
        assertFalse(args.has("verbose"));
        assertFalse(args.has("bind"));
        assertEquals(List.of(), args.values("bind"));
        assertEquals(Optional.empty(), args.value("count"));
        assertEquals(OptionalLong.empty(), args.number("count"));
    }

    @Test
    void switchesAndHelpAlias() throws CommandException {
        assertTrue(parse("--verbose").has("verbose"));
        assertTrue(parse("-h").has("help"));
        assertTrue(parse("--help").has("help"));
    }

    @Test
    void unknownFlagIsNamed() {
        assertEquals("unknown flag --nope", usageError("--nope"));
        assertEquals("unknown flag --nope", usageError("--nope=1"));
        assertEquals("unknown flag -x", usageError("-x"));
        // -h means --help only for a command that has --help.
        assertEquals("unknown flag -h",
                assertThrows(CommandException.class, () -> Args.parse(List.of(), List.of("-h"))).getMessage());
    }

    @Test
    void missingValue() {
        assertEquals("--count needs a value: --count N", usageError("--count"));
        // The next flag is not taken as the value.
        assertEquals("--count needs a value: --count N", usageError("--count", "--verbose"));
    }

    @Test
    void switchWithValue() {
        assertEquals("--verbose takes no value, but was given 'yes'", usageError("--verbose=yes"));
    }

    @Test
    void nonRepeatableGivenTwice() {
        assertEquals("--count is given twice", usageError("--count", "1", "--count=2"));
        assertEquals("--verbose is given twice", usageError("--verbose", "--verbose"));
    }

    @Test
    void bareArgument() {
        assertEquals("unexpected argument 'extra': every setting is a --flag", usageError("extra"));
    }

    @Test
    void numbers() throws CommandException {
        assertEquals(OptionalLong.of(42), parse("--count", "42").number("count"));
        assertEquals(OptionalLong.of(99_999_999_999L), parse("--count=99999999999").number("count"));
        CommandException e = assertThrows(CommandException.class, () -> parse("--count", "4x").number("count"));
        assertEquals("--count needs a whole number, not '4x'", e.getMessage());
        assertEquals(CommandException.USAGE, e.exitCode());
    }

    @Test
    void flagTableAlignsAndIndentsContinuations() {
        String table = Flag.table(List.of(Flag.value("a", "N", "first\nsecond"), Flag.HELP));
        assertEquals("""
                  --a N       first
                              second
                  -h, --help  print this help and exit
                """, table);
    }
}
