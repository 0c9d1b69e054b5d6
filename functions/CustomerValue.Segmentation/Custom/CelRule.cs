using System.Globalization;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// A custom-segment rule in Google's Common Expression Language (CEL), compiled once and evaluated per profile over
/// <see cref="ProfileVariables"/>. Compiling refuses, with the line and column: text that does not lex or parse, a
/// field the profile does not have (checked against <see cref="ProfileSchema"/>, so a typo is an error instead of a
/// segment that is silently empty), and any function outside <see cref="AllowedFunctions"/>. Evaluation time is
/// bounded by the profile's size: CEL has no loops, rules are at most <see cref="MaxLength"/> characters, and list
/// macros nest at most <see cref="MaxMacroDepth"/> deep; <c>matches</c> (regular expressions) is left out so no rule
/// can backtrack for long.
/// </summary>
public sealed class CelRule
{
    /// <summary>The longest rule text accepted.</summary>
    public const int MaxLength = 2000;

    /// <summary>How deep list macros (<c>exists</c>, <c>all</c>, …) may nest: two keeps a rule quadratic at worst.</summary>
    public const int MaxMacroDepth = 2;

    /// <summary>The CEL standard functions and macros a rule may call.</summary>
    public static IReadOnlySet<string> AllowedFunctions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "size", "has", "int", "uint", "double", "string", "bool", "timestamp", "duration",
        "startsWith", "endsWith", "contains",
        "exists", "all", "exists_one", "map", "filter",
        "getFullYear", "getMonth", "getDayOfMonth", "getDate", "getDayOfWeek", "getDayOfYear", "getHours",
    };

    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "exists", "all", "exists_one", "map", "filter" };

    // The environment holds no state between evaluations; no protobuf types are registered, so rules see only maps,
    // lists and scalars.
    private static readonly CelEnvironment Environment = new([], "");

    // Constant calls such as duration('4320h') are evaluated once at compile time: the CEL library parses the literal
    // (building a regular expression) on every evaluation, which was a fifth of a rule's cost per profile.
    private static readonly HashSet<string> ConstantFunctions = new(StringComparer.Ordinal) { "duration", "timestamp" };
    private static int _nextRule;

    private readonly CelProgramDelegate _program;
    private readonly KeyValuePair<string, object?>[] _constants;
    private readonly bool _answersPaths;

    private CelRule(string text, CelProgramDelegate program, IReadOnlyList<string> fields, KeyValuePair<string, object?>[] constants, bool answersPaths)
    {
        Text = text;
        _program = program;
        Fields = fields;
        _constants = constants;
        _answersPaths = answersPaths;
    }

    /// <summary>The rule as written.</summary>
    public string Text { get; }

    /// <summary>
    /// The profile fields the rule reads (<c>value.predictedClv</c>, <c>channels</c>), longest paths only, in order of
    /// appearance: what a membership's reason shows.
    /// </summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Compiles and checks a rule.</summary>
    /// <exception cref="RuleException">The rule is refused; the message names the position.</exception>
    public static CelRule Compile(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RuleException("the rule is empty", 1, 1);
        }

        if (text.Length > MaxLength)
        {
            throw new RuleException($"the rule is longer than {MaxLength} characters", 1, MaxLength + 1);
        }

        var lexer = new CelLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        lexer.AddErrorListener(new Refuse());
        var parser = new CelParser(new CommonTokenStream(lexer));
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new Refuse());
        var start = parser.start();
        var checker = new Checker();
        checker.Resolve(start, new Dictionary<string, ProfileSchema?>(StringComparer.Ordinal), 0);
        try
        {
            var (hoisted, constants) = HoistConstants(text, start);
            return new CelRule(text, hoisted is null ? Environment.Compile(start) : Environment.Compile(Parse(hoisted)), checker.Fields(), constants,
                answersPaths: !checker.BindsVariables);
        }
        catch (CelException ex)
        {
            throw new RuleException(ex.Message, 1, 1);
        }
    }

    /// <summary>
    /// Evaluates the rule for one profile. A rule that fails on a profile (a null where a number is compared, a text
    /// that is no timestamp) or yields no boolean does not admit it; the error says why, for the run's record. The rule's
    /// constants (see <see cref="HoistConstants"/>) are added to <paramref name="variables"/> unless it is read-only.
    /// </summary>
    public RuleOutcome Evaluate(IDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        try
        {
            if (_constants.Length > 0)
            {
                variables = variables.IsReadOnly ? new Dictionary<string, object?>(variables, StringComparer.Ordinal) : variables;
                foreach (var constant in _constants)
                {
                    variables[constant.Key] = constant.Value;
                }
            }

            return _program(_answersPaths ? new PathVariables(variables) : variables) is bool result
                ? new RuleOutcome(result, null)
                : new RuleOutcome(false, "the rule does not evaluate to a boolean");
        }
        catch (Exception ex) when (ex is CelException or InvalidCastException or FormatException or ArgumentException or OverflowException or InvalidOperationException or KeyNotFoundException)
        {
            return new RuleOutcome(false, ex.Message);
        }
    }

    /// <summary>
    /// The rule text with every call of <see cref="ConstantFunctions"/> on a string literal replaced by a variable of
    /// this rule, and those variables' values; null text when there is none.
    /// </summary>
    private static (string? Text, KeyValuePair<string, object?>[] Constants) HoistConstants(string text, IParseTree tree)
    {
        var calls = new List<CelParser.IdentOrGlobalCallContext>();
        Collect(tree, calls);
        if (calls.Count == 0)
        {
            return (null, []);
        }

        var prefix = $"hoisted{Interlocked.Increment(ref _nextRule)}_";
        var constants = new KeyValuePair<string, object?>[calls.Count];
        var rewritten = text;
        // From the last call to the first, so earlier positions stay valid while the text changes.
        for (var i = calls.Count - 1; i >= 0; i--)
        {
            var call = calls[i];
            var literal = text[call.Start.StartIndex..(call.Stop.StopIndex + 1)];
            constants[i] = new(prefix + i, Environment.Compile(Parse(literal))(new Dictionary<string, object?>(StringComparer.Ordinal)));
            rewritten = string.Concat(rewritten.AsSpan(0, call.Start.StartIndex), prefix + i, rewritten.AsSpan(call.Stop.StopIndex + 1));
        }

        return (rewritten, constants);
    }

    private static void Collect(IParseTree node, List<CelParser.IdentOrGlobalCallContext> calls)
    {
        if (node is CelParser.IdentOrGlobalCallContext { op: not null } call && ConstantFunctions.Contains(call.id.Text)
            && call.args?.expr() is [var only] && only.GetText() is [('\'' or '"'), .., ('\'' or '"')] argument && IsPlainLiteral(argument))
        {
            calls.Add(call);
            return;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Collect(node.GetChild(i), calls);
        }
    }

    // One quoted string with no escapes or inner quotes: its text is its value, so hoisting cannot change its meaning.
    private static bool IsPlainLiteral(string quoted) =>
        quoted.Length >= 2 && quoted[0] == quoted[^1] && quoted.AsSpan(1, quoted.Length - 2).IndexOfAny("\\'\"") < 0;

    private static CelParser.StartContext Parse(string text)
    {
        var lexer = new CelLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        lexer.AddErrorListener(new Refuse());
        var parser = new CelParser(new CommonTokenStream(lexer));
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new Refuse());
        return parser.start();
    }

    private sealed class Refuse : IAntlrErrorListener<int>, IAntlrErrorListener<IToken>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            throw new RuleException(msg, line, charPositionInLine + 1);

        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            throw new RuleException(msg, line, charPositionInLine + 1);
    }

    /// <summary>
    /// The reason of a membership: each field the rule reads with its value in this profile, e.g.
    /// <c>nps.score 4; value.predictedClv 450</c>.
    /// </summary>
    public string Explain(IDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return string.Join("; ", Fields.Select(path => $"{path} {Format(Lookup(variables, path))}"));
    }

    private static object? Lookup(IDictionary<string, object?> variables, string path)
    {
        var parts = path.Split('.');
        object? current = variables.TryGetValue(parts[0], out var root) ? root : null;
        foreach (var part in parts.Skip(1))
        {
            current = current is IDictionary<string, object?> map && map.TryGetValue(part, out var next) ? next : null;
        }

        return current;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IDictionary<string, object?> => "{…}",
        IList<object?> list => "[" + string.Join(",", list.Take(5).Select(Format)) + (list.Count > 5 ? ",…" : "") + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => "?",
    };

    /// <summary>Walks the parse tree: every field named must exist, every function be allowed.</summary>
    private sealed class Checker
    {
        private static readonly ProfileSchema Root = ProfileSchema.Profile;
        private readonly List<string> _paths = [];

        /// <summary>True when a macro of the rule binds a variable (<c>exists(o, …)</c>).</summary>
        public bool BindsVariables { get; private set; }

        /// <summary>The profile paths read, without those that only lead to a longer one.</summary>
        public IReadOnlyList<string> Fields() =>
            [.. _paths.Distinct(StringComparer.Ordinal).Where(p => !_paths.Any(q => q.StartsWith(p + ".", StringComparison.Ordinal)))];

        /// <summary>The schema of the node's value where it is a known field, else null.</summary>
        public ProfileSchema? Resolve(IParseTree node, Dictionary<string, ProfileSchema?> scope, int depth)
        {
            switch (node)
            {
                case CelParser.SelectContext select:
                    {
                        var owner = Resolve(select.member(), scope, depth);
                        var field = select.id.Text;
                        if (owner is { Kind: SchemaKind.Object })
                        {
                            var schema = owner.Fields.TryGetValue(field, out var known)
                                ? known
                                : throw new RuleException($"unknown field '{field}'", select.id.Line, select.id.Column + 1);
                            if (PathOf(select, scope) is { } path)
                            {
                                _paths.Add(path);
                            }

                            return schema;
                        }

                        return null;
                    }

                case CelParser.IdentOrGlobalCallContext ident when ident.op is null:
                    {
                        var name = ident.id.Text;
                        if (scope.TryGetValue(name, out var bound))
                        {
                            return bound;
                        }

                        if (!Root.Fields.TryGetValue(name, out var schema))
                        {
                            throw new RuleException($"unknown field '{name}'", ident.id.Line, ident.id.Column + 1);
                        }

                        if (name != ProfileVariables.Now)
                        {
                            _paths.Add(name);
                        }

                        return schema;
                    }

                case CelParser.IdentOrGlobalCallContext call:
                    Allow(call.id);
                    Walk(call.args, scope, depth);
                    return null;

                case CelParser.MemberCallContext call:
                    {
                        Allow(call.id);
                        var owner = Resolve(call.member(), scope, depth);
                        if (!Macros.Contains(call.id.Text))
                        {
                            Walk(call.args, scope, depth);
                            return null;
                        }

                        if (depth >= MaxMacroDepth)
                        {
                            throw new RuleException($"list macros nest more than {MaxMacroDepth} deep", call.id.Line, call.id.Column + 1);
                        }

                        var args = call.args?.expr() ?? [];
                        if (args.Length < 2 || args[0].GetText() is not { Length: > 0 } variable || !IsIdentifier(variable))
                        {
                            throw new RuleException($"'{call.id.Text}' needs a variable name and an expression", call.id.Line, call.id.Column + 1);
                        }

                        BindsVariables = true;
                        var inner = new Dictionary<string, ProfileSchema?>(scope, StringComparer.Ordinal)
                        {
                            [variable] = owner is { Kind: SchemaKind.List } ? owner.Element : null,
                        };
                        foreach (var arg in args.Skip(1))
                        {
                            Resolve(arg, inner, depth + 1);
                        }

                        return null;
                    }

                case CelParser.IndexContext index:
                    {
                        var owner = Resolve(index.member(), scope, depth);
                        Resolve(index.index, scope, depth);
                        return owner is { Kind: SchemaKind.List } ? owner.Element : null;
                    }

                case CelParser.PrimaryExprContext primary:
                    return Resolve(primary.primary(), scope, depth);

                case CelParser.MemberExprContext member:
                    return Resolve(member.member(), scope, depth);

                case CelParser.CreateMessageContext message:
                    throw new RuleException("creating messages is not supported in segment rules", message.Start.Line, message.Start.Column + 1);

                default:
                    for (var i = 0; i < node.ChildCount; i++)
                    {
                        Resolve(node.GetChild(i), scope, depth);
                    }

                    return null;
            }
        }

        /// <summary>The dotted path of a field selection rooted at a profile field; null inside macros or after calls.</summary>
        private static string? PathOf(IParseTree node, Dictionary<string, ProfileSchema?> scope) => node switch
        {
            CelParser.SelectContext select => PathOf(select.member(), scope) is { } owner ? owner + "." + select.id.Text : null,
            CelParser.PrimaryExprContext primary => PathOf(primary.primary(), scope),
            CelParser.IdentOrGlobalCallContext { op: null } ident when !scope.ContainsKey(ident.id.Text) => ident.id.Text,
            _ => null,
        };

        private void Walk(CelParser.ExprListContext? args, Dictionary<string, ProfileSchema?> scope, int depth)
        {
            foreach (var arg in args?.expr() ?? [])
            {
                Resolve(arg, scope, depth);
            }
        }

        private static void Allow(IToken function)
        {
            if (!AllowedFunctions.Contains(function.Text))
            {
                throw new RuleException($"function '{function.Text}' is not allowed in segment rules", function.Line, function.Column + 1);
            }
        }

        private static bool IsIdentifier(string text) => (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}

/// <summary>Whether a rule admitted a profile, and the error that kept it out, if one did.</summary>
/// <param name="IsMember">True when the rule evaluated to true.</param>
/// <param name="Error">Why the rule could not be evaluated for the profile; null when it could.</param>
public sealed record RuleOutcome(bool IsMember, string? Error);
