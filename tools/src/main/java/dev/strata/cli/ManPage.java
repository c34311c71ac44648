package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one command's man page in troff (man(7) macros) from its picocli model: name, synopsis,
 * description, arguments, options, subcommands and the footer (notes and examples), so the page says
 * what {@code --help} says. picocli-codegen's generator writes AsciiDoc, which needs asciidoctor to
 * become a page {@code man} reads; this writes the page itself. Stateless.
 */
final class ManPage {
    private ManPage() {
    }

    /** The page's file name: strata.1, strata-backup.1, strata-key-add.1. */
    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".1";
    }

    static void write(CommandSpec spec, String version, PrintWriter out) {
        String name = spec.qualifiedName("-");
        out.println(".\\\" Generated from Strata's command model; edit the commands, not this page.");
        out.println(".TH " + quoted(name.toUpperCase(java.util.Locale.ROOT)) + " 1 \"\" " + quoted("Strata " + version)
                + " \"Strata Manual\"");
        out.println(".SH NAME");
        String[] description = spec.usageMessage().description();
        out.println(text(name) + " \\- " + text(description.length == 0 ? "" : description[0]));
        out.println(".SH SYNOPSIS");
        out.println(".nf");
        String synopsis = spec.commandLine().getHelp().synopsis(0).replaceFirst("^Usage: ", "").stripTrailing();
        for (String line : synopsis.split("\n")) {
            out.println(text(line.strip()));
        }
        out.println(".fi");
        if (description.length > 0) {
            out.println(".SH DESCRIPTION");
            paragraph(out, List.of(description));
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            out.println(".SH ARGUMENTS");
            for (PositionalParamSpec p : positionals) {
                out.println(".TP");
                out.println(".I " + quoted(p.paramLabel()));
                paragraph(out, List.of(p.description()));
            }
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            out.println(".SH OPTIONS");
            for (OptionSpec o : options) {
                out.println(".TP");
                String label = String.join(", ", o.names()) + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
                out.println(".B " + quoted(label));
                paragraph(out, List.of(o.description()));
            }
        }
        Map<String, CommandLine> subs = spec.subcommands();
        if (!subs.isEmpty()) {
            out.println(".SH COMMANDS");
            for (Map.Entry<String, CommandLine> e : subs.entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                if (!e.getKey().equals(sub.name()) || e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
                    continue; // aliases, and the help command
                }
                out.println(".TP");
                out.println(".B " + quoted(e.getKey()));
                String[] d = sub.usageMessage().description();
                out.println(text((d.length == 0 ? "" : d[0]) + " See " + sub.qualifiedName("-") + "(1)."));
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            out.println(".SH NOTES");
            out.println(".nf");
            List<String> lines = new ArrayList<>(List.of(footer));
            while (!lines.isEmpty() && lines.get(0).isBlank()) {
                lines.remove(0);
            }
            for (String line : lines) {
                out.println(line.isBlank() ? "" : text(line));
            }
            out.println(".fi");
        }
        if (spec.parent() != null) {
            out.println(".SH SEE ALSO");
            String parent = spec.parent().qualifiedName("-") + "(1)";
            out.println(text(parent.equals("strata(1)") ? parent : parent + ", strata(1)"));
        }
        out.flush();
    }

    private static void paragraph(PrintWriter out, List<String> lines) {
        for (String line : lines) {
            out.println(text(line));
        }
    }

    /** A line of text as troff reads it literally: backslashes escaped, a leading '.' or '\'' kept from being a request. */
    static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    private static String quoted(String s) {
        return "\"" + text(s).replace("\"", "\\(dq") + "\"";
    }
}
