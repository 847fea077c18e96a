// Python-subset expressions of v0.4 attribute values (expression.hpp).
//
// Why hand-written rather than Debian's muparser: the designs are written
// in Python syntax (`A if C else B`, `**`, `//`, `and`/`or`), which
// muparser does not read (`C ? A : B`, `^`), and rewriting users' text
// between syntaxes would move error columns. The grammar is small: a
// recursive-descent parser builds a tree, and evaluation walks it so that
// untaken branches are never computed (Python's semantics).
#include "sieve/spec/expression.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <vector>

namespace sieve::spec {
namespace {

enum class Tok { kNumber, kName, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  Tok kind;
  std::string text;
  double number = 0;
  size_t column = 0;  // 1-based
};

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const size_t col = i + 1;
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          j = k;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        }
      }
      const std::string text(s.substr(i, j - i));
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) {
        throw ExpressionError(col, "malformed number '" + text + "'");
      }
      out.push_back({Tok::kNumber, text, v, col});
      i = j;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Tok::kName, std::string(s.substr(i, j - i)), 0, col});
      i = j;
      continue;
    }
    if (c == '(') { out.push_back({Tok::kLParen, "(", 0, col}); ++i; continue; }
    if (c == ')') { out.push_back({Tok::kRParen, ")", 0, col}); ++i; continue; }
    if (c == ',') { out.push_back({Tok::kComma, ",", 0, col}); ++i; continue; }
    static constexpr std::string_view kTwo[] = {"**", "//", "<=", ">=", "==", "!="};
    bool two = false;
    for (std::string_view op : kTwo) {
      if (s.substr(i, 2) == op) {
        out.push_back({Tok::kOp, std::string(op), 0, col});
        i += 2;
        two = true;
        break;
      }
    }
    if (two) continue;
    if (std::string_view("+-*/%<>").find(c) != std::string_view::npos) {
      out.push_back({Tok::kOp, std::string(1, c), 0, col});
      ++i;
      continue;
    }
    throw ExpressionError(col, std::string("unexpected character '") + c + "'");
  }
  out.push_back({Tok::kEnd, "", 0, s.size() + 1});
  return out;
}

struct Node {
  enum class Kind { kNumber, kName, kUnary, kBinary, kCompare, kAnd, kOr, kNot, kIf, kCall };
  Kind kind;
  std::string text;  // name, operator or function
  double number = 0;
  size_t column = 0;
  std::vector<std::unique_ptr<Node>> kids;  // kCompare: operands; ops in `ops`
  std::vector<std::string> ops;
};
using NodePtr = std::unique_ptr<Node>;

NodePtr Make(Node::Kind kind, const Token& at, std::string text = {}) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->text = std::move(text);
  n->column = at.column;
  return n;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  NodePtr ParseAll() {
    NodePtr n = Conditional();
    if (Peek().kind != Tok::kEnd) Fail(Peek(), "unexpected '" + Peek().text + "'");
    return n;
  }

 private:
  const Token& Peek() const { return t_[pos_]; }
  const Token& Next() { return t_[pos_++]; }
  bool IsName(const char* word) const { return Peek().kind == Tok::kName && Peek().text == word; }
  bool IsOp(const char* op) const { return Peek().kind == Tok::kOp && Peek().text == op; }
  [[noreturn]] static void Fail(const Token& at, const std::string& msg) {
    throw ExpressionError(at.column, at.kind == Tok::kEnd ? "unexpected end of expression" : msg);
  }

  NodePtr Conditional() {
    NodePtr then = Or();
    if (!IsName("if")) return then;
    const Token& at = Next();
    NodePtr cond = Or();
    if (!IsName("else")) Fail(Peek(), "expected 'else', found '" + Peek().text + "'");
    Next();
    NodePtr otherwise = Conditional();
    NodePtr n = Make(Node::Kind::kIf, at);
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(then));
    n->kids.push_back(std::move(otherwise));
    return n;
  }

  NodePtr Or() {
    NodePtr left = And();
    while (IsName("or")) {
      NodePtr n = Make(Node::Kind::kOr, Next());
      n->kids.push_back(std::move(left));
      n->kids.push_back(And());
      left = std::move(n);
    }
    return left;
  }

  NodePtr And() {
    NodePtr left = Not();
    while (IsName("and")) {
      NodePtr n = Make(Node::Kind::kAnd, Next());
      n->kids.push_back(std::move(left));
      n->kids.push_back(Not());
      left = std::move(n);
    }
    return left;
  }

  NodePtr Not() {
    if (!IsName("not")) return Compare();
    NodePtr n = Make(Node::Kind::kNot, Next());
    n->kids.push_back(Not());
    return n;
  }

  NodePtr Compare() {
    NodePtr first = Sum();
    auto is_cmp = [&] {
      return IsOp("<") || IsOp("<=") || IsOp(">") || IsOp(">=") || IsOp("==") || IsOp("!=");
    };
    if (!is_cmp()) return first;
    NodePtr n = Make(Node::Kind::kCompare, Peek());
    n->kids.push_back(std::move(first));
    while (is_cmp()) {
      n->ops.push_back(Next().text);
      n->kids.push_back(Sum());
    }
    return n;
  }

  NodePtr Binary(NodePtr left, const Token& op, NodePtr right) {
    NodePtr n = Make(Node::Kind::kBinary, op, op.text);
    n->kids.push_back(std::move(left));
    n->kids.push_back(std::move(right));
    return n;
  }

  NodePtr Sum() {
    NodePtr left = Term();
    while (IsOp("+") || IsOp("-")) {
      const Token& op = Next();
      left = Binary(std::move(left), op, Term());
    }
    return left;
  }

  NodePtr Term() {
    NodePtr left = Factor();
    while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
      const Token& op = Next();
      left = Binary(std::move(left), op, Factor());
    }
    return left;
  }

  NodePtr Factor() {
    if (IsOp("-") || IsOp("+")) {
      const Token& op = Next();
      NodePtr n = Make(Node::Kind::kUnary, op, op.text);
      n->kids.push_back(Factor());
      return n;
    }
    return Power();
  }

  NodePtr Power() {
    NodePtr base = Atom();
    if (!IsOp("**")) return base;
    const Token& op = Next();
    return Binary(std::move(base), op, Factor());  // right-associative
  }

  NodePtr Atom() {
    const Token& tok = Next();
    switch (tok.kind) {
      case Tok::kNumber: {
        NodePtr n = Make(Node::Kind::kNumber, tok);
        n->number = tok.number;
        return n;
      }
      case Tok::kLParen: {
        NodePtr n = Conditional();
        if (Peek().kind != Tok::kRParen) Fail(Peek(), "expected ')', found '" + Peek().text + "'");
        Next();
        return n;
      }
      case Tok::kName: {
        if (tok.text == "True" || tok.text == "False") {
          NodePtr n = Make(Node::Kind::kNumber, tok);
          n->number = tok.text == "True" ? 1 : 0;
          return n;
        }
        static constexpr std::string_view kKeywords[] = {"if", "else", "and", "or", "not"};
        for (std::string_view k : kKeywords) {
          if (tok.text == k) Fail(tok, "unexpected '" + tok.text + "'");
        }
        if (Peek().kind != Tok::kLParen) return Make(Node::Kind::kName, tok, tok.text);
        Next();
        NodePtr call = Make(Node::Kind::kCall, tok, tok.text);
        if (Peek().kind != Tok::kRParen) {
          call->kids.push_back(Conditional());
          while (Peek().kind == Tok::kComma) {
            Next();
            call->kids.push_back(Conditional());
          }
        }
        if (Peek().kind != Tok::kRParen) Fail(Peek(), "expected ')' or ',', found '" + Peek().text + "'");
        Next();
        return call;
      }
      default:
        Fail(tok, "unexpected '" + tok.text + "'");
    }
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
};

double Checked(double v, const Node& at) {
  if (std::isnan(v)) throw ExpressionError(at.column, "math domain error in '" + at.text + "'");
  return v;
}

double Eval(const Node& n, const VariableLookup& lookup);

double Call(const Node& n, const VariableLookup& lookup) {
  const std::string& f = n.text;
  const size_t argc = n.kids.size();
  auto arg = [&](size_t i) { return Eval(*n.kids[i], lookup); };
  auto need = [&](size_t lo, size_t hi) {
    if (argc < lo || argc > hi) {
      const std::string want = lo == hi ? std::to_string(lo)
                                        : std::to_string(lo) + " to " + std::to_string(hi);
      throw ExpressionError(n.column, f + "() takes " + want + " argument(s), got " +
                                          std::to_string(argc));
    }
  };
  if (f == "max" || f == "min") {
    if (argc < 2) {
      throw ExpressionError(n.column, f + "() needs at least 2 arguments, got " + std::to_string(argc));
    }
    double best = arg(0);
    for (size_t i = 1; i < argc; ++i) {
      const double v = arg(i);
      if (f == "max" ? v > best : v < best) best = v;
    }
    return best;
  }
  struct Unary {
    const char* name;
    double (*fn)(double);
  };
  static constexpr Unary kUnary[] = {
      {"abs", [](double x) { return std::fabs(x); }},
      {"ceil", [](double x) { return std::ceil(x); }},
      {"floor", [](double x) { return std::floor(x); }},
      {"round", [](double x) { return std::nearbyint(x); }},  // halves to even, as Python
      {"int", [](double x) { return std::trunc(x); }},
      {"float", [](double x) { return x; }},
      {"sqrt", [](double x) { return x < 0 ? std::nan("") : std::sqrt(x); }},
      {"exp", [](double x) { return std::exp(x); }},
      {"log2", [](double x) { return x <= 0 ? std::nan("") : std::log2(x); }},
      {"log10", [](double x) { return x <= 0 ? std::nan("") : std::log10(x); }},
  };
  for (const Unary& u : kUnary) {
    if (f == u.name) {
      need(1, 1);
      return Checked(u.fn(arg(0)), n);
    }
  }
  if (f == "log") {
    need(1, 2);
    const double x = arg(0);
    if (x <= 0) return Checked(std::nan(""), n);
    if (argc == 1) return std::log(x);
    const double base = arg(1);
    if (base <= 0 || base == 1) return Checked(std::nan(""), n);
    return std::log(x) / std::log(base);
  }
  if (f == "pow") {
    need(2, 2);
    return Checked(std::pow(arg(0), arg(1)), n);
  }
  throw ExpressionError(n.column, "unknown function '" + f + "' (known: max, min, abs, ceil, floor, "
                                  "round, int, float, sqrt, exp, log, log2, log10, pow)");
}

bool Compare(double a, const std::string& op, double b) {
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  if (op == ">=") return a >= b;
  if (op == "==") return a == b;
  return a != b;
}

double Eval(const Node& n, const VariableLookup& lookup) {
  switch (n.kind) {
    case Node::Kind::kNumber:
      return n.number;
    case Node::Kind::kName: {
      const std::optional<double> v = lookup ? lookup(n.text) : std::nullopt;
      if (!v) throw ExpressionError(n.column, "unknown variable '" + n.text + "'");
      return *v;
    }
    case Node::Kind::kUnary: {
      const double v = Eval(*n.kids[0], lookup);
      return n.text == "-" ? -v : v;
    }
    case Node::Kind::kNot:
      return Eval(*n.kids[0], lookup) == 0 ? 1 : 0;
    case Node::Kind::kAnd: {
      const double a = Eval(*n.kids[0], lookup);
      return a == 0 ? a : Eval(*n.kids[1], lookup);
    }
    case Node::Kind::kOr: {
      const double a = Eval(*n.kids[0], lookup);
      return a != 0 ? a : Eval(*n.kids[1], lookup);
    }
    case Node::Kind::kIf:
      return Eval(*n.kids[0], lookup) != 0 ? Eval(*n.kids[1], lookup) : Eval(*n.kids[2], lookup);
    case Node::Kind::kCompare: {
      double left = Eval(*n.kids[0], lookup);
      for (size_t i = 0; i < n.ops.size(); ++i) {
        const double right = Eval(*n.kids[i + 1], lookup);
        if (!Compare(left, n.ops[i], right)) return 0;
        left = right;
      }
      return 1;
    }
    case Node::Kind::kCall:
      return Call(n, lookup);
    case Node::Kind::kBinary: {
      const double a = Eval(*n.kids[0], lookup);
      const double b = Eval(*n.kids[1], lookup);
      const std::string& op = n.text;
      if (op == "+") return a + b;
      if (op == "-") return a - b;
      if (op == "*") return a * b;
      if (op == "**") {
        if (a == 0 && b < 0) throw ExpressionError(n.column, "0 cannot be raised to a negative power");
        return Checked(std::pow(a, b), n);
      }
      if (b == 0) throw ExpressionError(n.column, "division by zero");
      if (op == "/") return a / b;
      const double q = std::floor(a / b);
      if (op == "//") return q;
      return a - b * q;  // %: the sign of the divisor, as Python
    }
  }
  return 0;
}

}  // namespace

double EvaluateExpression(std::string_view text, const VariableLookup& lookup) {
  try {
    Parser parser(Tokenize(text));
    const NodePtr root = parser.ParseAll();
    return Eval(*root, lookup);
  } catch (const ExpressionError& e) {
    throw ExpressionError(e.column(), std::string(e.what()) + " at column " +
                                          std::to_string(e.column()) + " of '" +
                                          std::string(text) + "'");
  }
}

}  // namespace sieve::spec
