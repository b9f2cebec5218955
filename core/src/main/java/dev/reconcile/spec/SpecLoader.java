package dev.reconcile.spec;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.diag.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingEndEvent;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.events.SequenceEndEvent;
import org.snakeyaml.engine.v2.events.SequenceStartEvent;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a spec file into a {@link SpecDocument}, refusing what is too large, not UTF-8, not YAML,
 * or an alias bomb. YAML 1.2 core schema: {@code yes}/{@code no} stay strings.
 */
public final class SpecLoader {
  /** The document when one could be built (it may still come with errors), and the problems. */
  public record Loaded(Optional<SpecDocument> document, Diagnostics diagnostics) {}

  private final LoadLimits limits;

  public SpecLoader(LoadLimits limits) {
    this.limits = limits;
  }

  public SpecLoader() {
    this(LoadLimits.DEFAULT);
  }

  /** Loads a file; {@code shownAs} is how messages name it. */
  public Loaded load(Path file, String shownAs) {
    try {
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        // A FIFO or a device would block the read forever; a folder cannot be read.
        return failed(
            shownAs,
            "not a regular file (a folder, a FIFO or a device); give the "
                + "path of a projects.yml");
      }
      var size = Files.size(file);
      if (size > limits.maxBytes()) {
        return failed(
            shownAs,
            "the file is " + humanSize(size) + "; a spec may be at most "
                + humanSize(limits.maxBytes()));
      }
      try (InputStream in = Files.newInputStream(file)) {
        // Read one byte past the limit: the file may have grown since it was measured.
        var bytes = in.readNBytes((int) limits.maxBytes() + 1);
        return parse(bytes, shownAs);
      }
    } catch (NoSuchFileException e) {
      return failed(shownAs, "no such file");
    } catch (IOException e) {
      return failed(
          shownAs,
          "cannot read the file: "
              + switch (e) {
                case AccessDeniedException a -> "permission denied";
                case FileSystemException f when f.getReason() != null -> f.getReason();
                default -> e.getMessage();
              });
    }
  }

  /** Loads bytes, as read from a file named {@code shownAs}. */
  public Loaded parse(byte[] bytes, String shownAs) {
    if (bytes.length > limits.maxBytes()) {
      return failed(shownAs, "the file is larger than " + humanSize(limits.maxBytes()));
    }
    var text = decodeUtf8(bytes, shownAs);
    if (text.diagnostic().isPresent()) {
      return new Loaded(Optional.empty(), Diagnostics.of(text.diagnostic().get()));
    }
    if (text.value().isBlank()) {
      return new Loaded(
          Optional.empty(),
          Diagnostics.of(Diagnostic.error(SourcePosition.startOf(shownAs), "", "the file is empty")
              .withHint("a spec starts with 'version: 1' and declares 'projects:'")));
    }
    return compose(text.value(), shownAs);
  }

  private Loaded compose(String text, String shownAs) {
    var settings = LoadSettings.builder()
        .setLabel(shownAs)
        .setUseMarks(true)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(true) // found by YamlTree, with the position of both keys
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(limits.maxAliases())
        .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes()))
        .build();
    try {
      // One pass: the composer reads the parser's events through the checks (a cold JVM spent
      // ~25 ms of a validate parsing the file a second time for them).
      var events =
          new CheckedEvents(new ParserImpl(settings, new StreamReader(settings, text)), shownAs);
      var iterator = new Composer(settings, events);
      if (!iterator.hasNext()) {
        return failed(shownAs, "the file holds no YAML document");
      }
      var root = iterator.next();
      if (iterator.hasNext()) {
        var second = iterator.next().getStartMark().map(m -> m.getLine() + 1).orElse(1);
        return new Loaded(
            Optional.empty(),
            Diagnostics.of(Diagnostic.error(
                new SourcePosition(shownAs, second, 1),
                "",
                "the file holds more than one YAML document (---)")));
      }
      var tree = YamlTree.build(shownAs, root, limits);
      var document = new SpecDocument(shownAs, tree.root(), tree.marks());
      var usable = !tree.root().isMissingNode();
      return new Loaded(
          usable ? Optional.of(document) : Optional.empty(), Diagnostics.of(tree.problems()));
    } catch (EventProblem e) {
      return new Loaded(Optional.empty(), Diagnostics.of(e.diagnostic));
    } catch (MarkedYamlEngineException e) {
      return new Loaded(Optional.empty(), Diagnostics.of(syntaxError(e, shownAs)));
    } catch (YamlEngineException e) {
      return new Loaded(Optional.empty(), Diagnostics.of(engineError(e, shownAs)));
    } catch (NumberFormatException e) {
      // SnakeYAML Engine's scanner lets this out of an escape cut short by the end of the file
      // (a quoted "backslash u" at the very end), found by fuzzing; it has no mark: the end is
      // named.
      var lines = text.split("\\R", -1);
      return new Loaded(
          Optional.empty(),
          Diagnostics.of(Diagnostic.error(
              new SourcePosition(shownAs, lines.length, lines[lines.length - 1].length() + 1),
              "",
              "YAML syntax: the file ends inside an escape sequence of a double-quoted string "
                  + "(\\u needs 4 hexadecimal digits, \\U 8, \\x 2)")));
    }
  }

  /** A problem {@link CheckedEvents} found; it stops the composer where it is. */
  private static final class EventProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    EventProblem(Diagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }
  }

  /**
   * The parser's events as the composer takes them, checked for what must be caught before
   * composing goes further: collections nested deeper than the limit (the composer recurses once
   * per level, and a few thousand '[' overflow its stack), and a mapping with two merge keys
   * '<<' (the composer merges both silently).
   */
  private final class CheckedEvents implements Parser {
    private final Parser parser;
    private final String shownAs;
    // Per open collection: null for a sequence; for a mapping, whether the next node is a key
    // (index 0) and whether a '<<' key was seen (index 1).
    private final ArrayDeque<boolean[]> open = new ArrayDeque<>();

    CheckedEvents(Parser parser, String shownAs) {
      this.parser = parser;
      this.shownAs = shownAs;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
      return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      var event = parser.next();
      check(event);
      return event;
    }

    private void check(Event event) {
      var atKey = !open.isEmpty() && open.peek().length == 2 && open.peek()[0];
      if (event instanceof ScalarEvent s && atKey && s.getValue().equals("<<") && s.isPlain()) {
        if (open.peek()[1]) {
          throw new EventProblem(Diagnostic.error(
              position(event, shownAs),
              "",
              "a second merge key '<<' in one mapping; merge several with '<<: [*a, *b]'"));
        }
        open.peek()[1] = true;
      }
      var node = event instanceof ScalarEvent
          || event instanceof AliasEvent
          || event instanceof MappingStartEvent
          || event instanceof SequenceStartEvent;
      if (node && !open.isEmpty() && open.peek().length == 2) {
        open.peek()[0] = !open.peek()[0];
      }
      if (event instanceof MappingStartEvent || event instanceof SequenceStartEvent) {
        if (open.size() >= limits.maxDepth()) {
          throw new EventProblem(Diagnostic.error(
              position(event, shownAs),
              "",
              "collections nest more than " + limits.maxDepth() + " levels deep"));
        }
        open.push(
            event instanceof MappingStartEvent ? new boolean[] {true, false} : new boolean[0]);
      } else if (event instanceof MappingEndEvent || event instanceof SequenceEndEvent) {
        open.pop();
      }
    }
  }

  private static SourcePosition position(Event event, String shownAs) {
    var mark = event.getStartMark();
    return new SourcePosition(
        shownAs,
        mark.map(m -> m.getLine() + 1).orElse(1),
        mark.map(m -> m.getColumn() + 1).orElse(1));
  }

  private static Diagnostic syntaxError(MarkedYamlEngineException e, String shownAs) {
    var mark = e.getProblemMark().or(e::getContextMark);
    var position = mark.map(m -> new SourcePosition(shownAs, m.getLine() + 1, m.getColumn() + 1))
        .orElse(SourcePosition.startOf(shownAs));
    var problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
    var message = "YAML syntax: " + problem.strip();
    var context = e.getContext();
    if (context != null && e.getContextMark().isPresent()) {
      var at = e.getContextMark().get();
      message += " (" + context.strip() + " at line " + (at.getLine() + 1) + ")";
    }
    return Diagnostic.error(position, "", message);
  }

  private Diagnostic engineError(YamlEngineException e, String shownAs) {
    var text = String.valueOf(e.getMessage());
    if (text.toLowerCase(Locale.ROOT).contains("aliases")) {
      return Diagnostic.error(
              SourcePosition.startOf(shownAs),
              "",
              "the file uses more than " + limits.maxAliases() + " aliases of collections")
          .withHint("a YAML alias bomb? Write the values out or use fewer aliases (*name)");
    }
    if (text.contains("Non scalar key")) {
      return Diagnostic.error(
          SourcePosition.startOf(shownAs),
          "",
          "a key is a list or a mapping; keys must be plain strings");
    }
    if (text.contains("code point")) {
      return Diagnostic.error(
          SourcePosition.startOf(shownAs),
          "",
          "the file is larger than " + humanSize(limits.maxBytes()));
    }
    return Diagnostic.error(SourcePosition.startOf(shownAs), "", "invalid YAML: " + text);
  }

  private record Decoded(String value, Optional<Diagnostic> diagnostic) {}

  /** Strict UTF-8: a bad byte is an error at its line and column, never a replacement char. */
  private static Decoded decodeUtf8(byte[] bytes, String shownAs) {
    var decoder = StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    var in = ByteBuffer.wrap(bytes);
    var out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      var offset = in.position();
      var before = out.flip().toString();
      var line = 1 + (int) before.chars().filter(c -> c == '\n').count();
      var column = before.length() - before.lastIndexOf('\n');
      return new Decoded(
          "",
          Optional.of(Diagnostic.error(
                  new SourcePosition(shownAs, line, column),
                  "",
                  String.format(
                      "the file is not valid UTF-8: byte 0x%02X at offset %d",
                      bytes[offset] & 0xff, offset))
              .withHint("save the file as UTF-8")));
    }
    decoder.flush(out);
    var text = out.flip().toString();
    return new Decoded(text.startsWith("\uFEFF") ? text.substring(1) : text, Optional.empty());
  }

  private static Loaded failed(String shownAs, String message) {
    return new Loaded(
        Optional.empty(),
        Diagnostics.of(Diagnostic.error(SourcePosition.startOf(shownAs), "", message)));
  }

  static String humanSize(long bytes) {
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    if (bytes >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
    }
    return bytes + " bytes";
  }
}
