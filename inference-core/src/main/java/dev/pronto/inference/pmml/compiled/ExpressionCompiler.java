package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DefineFunction;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.OpType;
import org.dmg.pmml.PMMLFunctions;
import org.dmg.pmml.ParameterField;
import org.jpmml.evaluator.ExpressionUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.FunctionRegistry;
import org.jpmml.evaluator.ModelEvaluator;

import dev.pronto.inference.pmml.compiled.Node.AggregateFunction;
import dev.pronto.inference.pmml.compiled.Node.BinaryOperator;
import dev.pronto.inference.pmml.compiled.Node.UnaryFunction;

/**
 * Compiles the expression of a continuous DerivedField into a {@link Node}, mirroring
 * {@code ExpressionUtil.evaluate}: numeric constants, field references (through
 * {@link FieldScope#numericSlot}), the arithmetic functions {@code + - * / pow sum avg log10 ln exp
 * sqrt abs} on doubles, and calls of the document's own {@code DefineFunction}s, inlined.
 *
 * <p>A {@code DefineFunction} call ({@code ExpressionUtil.evaluate(DefineFunction, ...)}) binds each
 * argument to its ParameterField and evaluates the function's expression in a context that sees only
 * those parameters, then casts the result to the function's type. Inlined here: the argument nodes
 * stand for the parameters (a parameter that declares a type other than its argument's is not
 * mirrored), and the function must be continuous double, so the cast changes nothing. Why: scikit-learn's
 * KBinsDiscretizer writes {@code add_eps(x) = x + (1e-8 + 1e-5 * abs(x))} in front of its bins.
 *
 * <p>Not thread-safe: one instance serves one {@link FieldScope}.
 */
final class ExpressionCompiler {

    /** A compiled expression and the data type jpmml's value of it has. */
    record Typed(Node node, DataType dataType) {
    }

    private final ModelEvaluator<?> evaluator;
    private final FieldScope fields;
    /** The arguments of the DefineFunction being inlined, by parameter name; {@code null} outside a function. */
    private Map<String, Typed> parameters;
    private final Set<String> inlining = new HashSet<>();

    private final Set<String> compiling = new HashSet<>();

    ExpressionCompiler(ModelEvaluator<?> evaluator, FieldScope fields) {
        this.evaluator = evaluator;
        this.fields = fields;
    }

    /**
     * The value of a continuous double or float DerivedField: its expression, cast to the field's
     * type as {@code FieldValueUtil.create} casts it (a double field keeps a double's, an integer's or
     * a float's value exactly, {@code Number.doubleValue()}; a float field narrows it).
     */
    Node derivedField(DerivedField field) {
        String name = field.requireName();
        DataType type = field.requireDataType();
        require((type == DataType.DOUBLE || type == DataType.FLOAT) && field.requireOpType() == OpType.CONTINUOUS,
                "derived field \"" + name + "\" is not a continuous double or float");
        require(compiling.add(name), "derived field \"" + name + "\" refers to itself");
        Typed expression;
        try {
            expression = expression(field.requireExpression());
        } finally {
            compiling.remove(name);
        }
        require(expression.dataType() == DataType.DOUBLE || expression.dataType() == DataType.INTEGER
                || expression.dataType() == DataType.FLOAT, "derived field \"" + name + "\" is not numeric");
        return type == DataType.FLOAT ? new Node.ToFloat(expression.node()) : expression.node();
    }

    Typed expression(Expression expression) {
        if (expression instanceof Constant constant) {
            FieldValue value = ExpressionUtil.evaluateConstant(constant);
            require(value != null, "a constant is missing");
            DataType type = value.getDataType();
            require(type == DataType.DOUBLE || type == DataType.INTEGER, "a constant is " + type);
            return new Typed(new Node.Constant(value.asNumber().doubleValue()), type);
        }
        if (expression instanceof FieldRef ref) {
            // evaluateFieldRef: a missing value becomes mapMissingTo, which a NaN slot would not mirror
            require(ref.getMapMissingTo() == null, "a field reference maps missing values");
            String name = ref.requireField();
            if (parameters != null) {
                // DefineFunctionEvaluationContext resolves only the function's own parameters
                Typed argument = parameters.get(name);
                require(argument != null, "a function refers to \"" + name + "\", not one of its parameters");
                return argument;
            }
            int slot = fields.numericSlot(name);
            return new Typed(new Node.Slot(slot), fields.slotType(slot));
        }
        if (expression instanceof Apply apply) {
            return apply(apply);
        }
        throw new NotEligible("it uses the expression " + expression.getClass().getSimpleName());
    }

    private Typed apply(Apply apply) {
        String function = apply.requireFunction();
        List<Typed> arguments = new ArrayList<>();
        for (Expression argument : apply.getExpressions()) {
            arguments.add(expression(argument));
        }
        boolean anyDouble = arguments.stream().anyMatch(a -> a.dataType() == DataType.DOUBLE);
        // float arithmetic (jpmml computes in float when no argument is a double) is not mirrored
        require(arguments.stream().noneMatch(a -> a.dataType() == DataType.FLOAT) || (anyDouble && arguments.size() == 2
                && !function.equals(PMMLFunctions.SUM) && !function.equals(PMMLFunctions.AVG)),
                "function " + function + " is applied to a float");
        Node[] nodes = arguments.stream().map(Typed::node).toArray(Node[]::new);
        switch (function) {
            case PMMLFunctions.ADD, PMMLFunctions.SUBTRACT, PMMLFunctions.MULTIPLY, PMMLFunctions.DIVIDE, PMMLFunctions.POW -> {
                // with two integers jpmml does integer arithmetic; with a double, double arithmetic
                require(nodes.length == 2 && anyDouble, "function " + function + " is not applied to two numbers, one a double");
                BinaryOperator operator = switch (function) {
                    case PMMLFunctions.ADD -> BinaryOperator.ADD;
                    case PMMLFunctions.SUBTRACT -> BinaryOperator.SUBTRACT;
                    case PMMLFunctions.MULTIPLY -> BinaryOperator.MULTIPLY;
                    case PMMLFunctions.DIVIDE -> BinaryOperator.DIVIDE;
                    default -> BinaryOperator.POW;
                };
                return new Typed(new Node.Binary(operator, nodes[0], nodes[1]), DataType.DOUBLE);
            }
            case PMMLFunctions.SUM -> {
                // a sum of integers is cast back to integer by jpmml
                require(nodes.length >= 1 && anyDouble, "sum has no double argument");
                return new Typed(new Node.Aggregate(AggregateFunction.SUM, nodes), DataType.DOUBLE);
            }
            case PMMLFunctions.AVG -> {
                require(nodes.length >= 1, "avg has no argument");
                return new Typed(new Node.Aggregate(AggregateFunction.AVG, nodes), DataType.DOUBLE);
            }
            case PMMLFunctions.LOG10, PMMLFunctions.LN, PMMLFunctions.EXP, PMMLFunctions.SQRT -> {
                require(nodes.length == 1, "function " + function + " takes one argument");
                UnaryFunction unary = switch (function) {
                    case PMMLFunctions.LOG10 -> UnaryFunction.LOG10;
                    case PMMLFunctions.LN -> UnaryFunction.LN;
                    case PMMLFunctions.EXP -> UnaryFunction.EXP;
                    default -> UnaryFunction.SQRT;
                };
                return new Typed(new Node.Unary(unary, nodes[0]), DataType.DOUBLE);
            }
            case PMMLFunctions.ABS -> {
                // abs keeps its argument's type: only doubles stay doubles
                require(nodes.length == 1 && anyDouble, "abs is not applied to a double");
                return new Typed(new Node.Unary(UnaryFunction.ABS, nodes[0]), DataType.DOUBLE);
            }
            default -> {
                return call(function, arguments);
            }
        }
    }

    /** A call of the document's own {@code DefineFunction} (a built-in of that name would win in jpmml). */
    private Typed call(String function, List<Typed> arguments) {
        require(FunctionRegistry.getFunction(function) == null, "it applies the function " + function);
        DefineFunction define = evaluator.getDefineFunction(function);
        require(define != null, "it applies the function " + function);
        require(define.requireOpType() == OpType.CONTINUOUS && define.requireDataType() == DataType.DOUBLE,
                "function " + function + " is not continuous double");
        require(!define.hasDerivedFields(), "function " + function + " derives fields of its own");
        List<ParameterField> parameterFields = define.hasParameterFields() ? define.getParameterFields() : List.of();
        require(parameterFields.size() == arguments.size(), "function " + function + " is called with "
                + arguments.size() + " arguments");
        Map<String, Typed> bound = new HashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            ParameterField parameter = parameterFields.get(i);
            Typed argument = arguments.get(i);
            // FieldValue.cast(parameterField): only a parameter that keeps its argument's type is mirrored
            require((parameter.getDataType() == null || parameter.getDataType() == argument.dataType())
                    && (parameter.getOpType() == null || parameter.getOpType() == OpType.CONTINUOUS),
                    "a parameter of function " + function + " casts its argument");
            bound.put(parameter.requireName(), argument);
        }
        require(inlining.add(function), "function " + function + " calls itself");
        Map<String, Typed> outer = parameters;
        parameters = bound;
        try {
            Typed body = expression(define.requireExpression());
            // the cast of the result to a double: Number.doubleValue(), exact for an integer
            require(body.dataType() == DataType.DOUBLE || body.dataType() == DataType.INTEGER,
                    "function " + function + " does not compute a number");
            return new Typed(body.node(), DataType.DOUBLE);
        } finally {
            parameters = outer;
            inlining.remove(function);
        }
    }
}
