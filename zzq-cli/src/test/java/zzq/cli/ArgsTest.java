package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
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
        assertEquals("unexpected argument 'extra': every setting is a flag (quote a value that holds spaces)",
                usageError("extra"));
    }

    @Test
    void doubleDashEndsFlagsButAnOperandlessCommandStillRefusesBareArguments() throws CommandException {
        assertTrue(parse("--verbose", "--").has("verbose"));
        assertEquals("unexpected argument '--verbose': every setting is a flag (quote a value that holds spaces)",
                usageError("--", "--verbose"));
        // a value is never "--" (it ends the flags)
        assertEquals("--count needs a value: --count N", usageError("--count", "--"));
    }

    /** Bare arguments of a command that declares them, as zzq passwd does: FILE USER [PASSWORD]. */
    @Nested
    class Operands {
        private final List<Flag> flags = List.of(
                Flag.toggle("batch", "b").alias("b"),
                Flag.value("hash", "HASH", "h").alias("H"),
                Flag.HELP);
        private final List<Operand> operands = List.of(
                Operand.required("FILE", "f"), Operand.required("USER", "u"), Operand.optional("PASSWORD", "p"));

        private Args parse(String... args) throws CommandException {
            return Args.parse(flags, operands, List.of(args));
        }

        private String usageError(String... args) {
            CommandException e = assertThrows(CommandException.class, () -> parse(args));
            assertEquals(CommandException.USAGE, e.exitCode());
            return e.getMessage();
        }

        @Test
        void operandsInOrderAmongFlags() throws CommandException {
            Args args = parse("-b", "f.txt", "-H", "sha512", "alice", "pw");
            assertEquals(Optional.of("f.txt"), args.operand("FILE"));
            assertEquals(Optional.of("alice"), args.operand("USER"));
            assertEquals(Optional.of("pw"), args.operand("PASSWORD"));
            assertEquals(Optional.of("sha512"), args.value("hash"));
            assertTrue(args.has("batch"));
            Args two = parse("f.txt", "alice", "-b");
            assertEquals(Optional.empty(), two.operand("PASSWORD"));
            assertTrue(two.has("batch"));
            // "-" is an operand (standard input, by custom), not a flag
            assertEquals(Optional.of("-"), parse("-", "u").operand("FILE"));
        }

        @Test
        void tooFewNamesWhatIsMissing() {
            assertEquals("missing FILE and USER", usageError());
            assertEquals("missing FILE and USER", usageError("-b"));
            assertEquals("missing USER", usageError("f.txt", "-b"));
        }

        @Test
        void tooManyNamesWhatIsExtra() {
            assertEquals("unexpected argument 'x' (expected FILE USER [PASSWORD])", usageError("f", "u", "p", "x"));
            assertEquals("unexpected arguments 'x' 'y' (expected FILE USER [PASSWORD])",
                    usageError("f", "u", "p", "x", "-b", "y"));
        }

        @Test
        void doubleDashEndsFlags() throws CommandException {
            Args args = parse("-b", "--", "-f", "-b", "--");
            assertEquals(Optional.of("-f"), args.operand("FILE"));
            assertEquals(Optional.of("-b"), args.operand("USER"));
            assertEquals(Optional.of("--"), args.operand("PASSWORD"));
            assertTrue(args.has("batch"));
            // without --, an unknown flag is still refused rather than taken as an operand
            assertEquals("unknown flag -f", usageError("-f", "u"));
        }

        @Test
        void helpAnswersWithoutTheOperands() throws CommandException {
            assertTrue(parse("--help").has("help"));
            assertTrue(parse("-h", "f", "u", "p", "extra").has("help"));
        }

        @Test
        void synopsisNestsOptionalOperands() {
            assertEquals("FILE USER [PASSWORD]", Operand.synopsis(operands));
            assertEquals("FILE [USER [PASSWORD]]", Operand.synopsis(List.of(Operand.required("FILE", "f"),
                    Operand.optional("USER", "u"), Operand.optional("PASSWORD", "p"))));
            assertEquals("", Operand.synopsis(List.of()));
            assertEquals("  FILE      f\n  USER      u\n  PASSWORD  p\n", Operand.table(operands));
        }

        @Test
        void aRequiredOperandCannotFollowAnOptionalOne() {
            List<Operand> wrong = List.of(Operand.optional("A", "a"), Operand.required("B", "b"));
            assertThrows(IllegalArgumentException.class, () -> Args.parse(flags, wrong, List.of("x", "y")));
        }
    }

    /** Mosquitto's one-letter flags, as zzq pub and zzq sub take them. */
    @Nested
    class Aliases {
        private final List<Flag> flags = List.of(
                Flag.value("host", "HOST", "where").alias("h"),
                Flag.repeatable("topic", "TOPIC", "which").alias("t"),
                Flag.value("qos", "QOS", "how").alias("q"),
                Flag.toggle("verbose", "more").alias("v"),
                Flag.value("property", "COMMAND NAME VALUE", "props").alias("D").several(),
                Flag.toggle("help", "help"));

        private Args parse(String... args) throws CommandException {
            return Args.parse(flags, List.of(args));
        }

        private String usageError(String... args) {
            CommandException e = assertThrows(CommandException.class, () -> parse(args));
            assertEquals(CommandException.USAGE, e.exitCode());
            return e.getMessage();
        }

        @Test
        void aliasTakesTheNextArgument() throws CommandException {
            Args args = parse("-h", "broker", "-t", "a/b", "--topic=c", "-v", "-q", "1");
            assertEquals(Optional.of("broker"), args.value("host"));
            assertEquals(List.of("a/b", "c"), args.values("topic"));
            assertTrue(args.has("verbose"));
            assertEquals(OptionalLong.of(1), args.number("qos"));
        }

        @Test
        void hIsTheHostWhenAFlagClaimsIt() throws CommandException {
            assertEquals(Optional.of("x"), parse("-h", "x").value("host"));
            assertTrue(parse("--help").has("help"));
            assertEquals("-h needs a value: -h, --host HOST", usageError("-h"));
        }

        @Test
        void aValueMayLookLikeAFlagOfAnotherCommand() throws CommandException {
            assertEquals(Optional.of("-m"), parse("-h", "-m").value("host"));
            assertEquals(Optional.of("-"), parse("-h", "-").value("host"));
            // ... but not like one of this command's
            assertEquals("-h needs a value: -h, --host HOST", usageError("-h", "-v"));
            assertEquals("-h needs a value: -h, --host HOST", usageError("-h", "--verbose"));
        }

        @Test
        void severalValuesRunToTheNextFlag() throws CommandException {
            Args args = parse("-D", "publish", "user-property", "k", "-1", "-v", "-D", "connect", "x", "1");
            assertEquals(List.of(List.of("publish", "user-property", "k", "-1"), List.of("connect", "x", "1")),
                    args.occurrences("property"));
            assertEquals(List.of("publish", "connect"), args.values("property"));
            assertEquals("-D needs a value: -D, --property COMMAND NAME VALUE", usageError("-D", "-v"));
        }

        @Test
        void aliasErrorsNameTheAlias() {
            assertEquals("-q is given twice", usageError("-q", "1", "-q", "2"));
            assertEquals("--verbose is given twice", usageError("-v", "--verbose"));
            assertEquals("unknown flag -x", usageError("-x"));
            // no -x=value: as in Mosquitto's tools, the whole argument is the flag
            assertEquals("unknown flag -q=1", usageError("-q=1"));
            CommandException e = assertThrows(CommandException.class, () -> parse("-q", "one").number("qos"));
            assertEquals("-q needs a whole number, not 'one'", e.getMessage());
        }

        @Test
        void synopsisShowsTheAlias() {
            assertEquals("-t, --topic TOPIC", flags.get(1).synopsis());
            assertEquals("-v, --verbose", flags.get(3).synopsis());
            assertEquals("--help", flags.get(5).synopsis());
            assertEquals("-h, --help", Flag.HELP.synopsis());
        }
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
