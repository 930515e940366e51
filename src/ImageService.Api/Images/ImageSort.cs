using System.Linq.Expressions;

namespace ImageService.Api.Images;

// `sort=key[:dir],…` over name, status, size, created_at, updated_at and id; id is always the final
// tie-breaker, so every order is total and keyset paging never skips or repeats an image.
internal sealed class ImageSort
{
    public const string Default = "created_at:desc";
    public const int MaxKeys = 6;

    private static readonly Dictionary<string, LambdaExpression> Keys = new(StringComparer.Ordinal)
    {
        ["name"] = (Expression<Func<Image, string>>)(i => i.Name),
        ["status"] = (Expression<Func<Image, string>>)(i => i.Status),
        ["size"] = (Expression<Func<Image, long>>)(i => i.Size),
        ["created_at"] = (Expression<Func<Image, DateTime>>)(i => i.CreatedAt),
        ["updated_at"] = (Expression<Func<Image, DateTime>>)(i => i.UpdatedAt),
        ["id"] = (Expression<Func<Image, string>>)(i => i.Id),
    };

    private static readonly System.Reflection.MethodInfo StringCompare =
        typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    private ImageSort(IReadOnlyList<(string Key, bool Descending)> keys) => Parts = keys;

    public IReadOnlyList<(string Key, bool Descending)> Parts { get; }

    public static bool TryParse(string? text, out ImageSort sort, out string? error)
    {
        sort = null!;
        error = null;
        var parts = new List<(string, bool)>();
        foreach (var item in (string.IsNullOrEmpty(text) ? Default : text).Split(','))
        {
            var pieces = item.Split(':');
            var key = pieces[0].Trim();
            var direction = pieces.Length > 1 ? pieces[1].Trim() : "desc";
            if (pieces.Length > 2 || !Keys.ContainsKey(key) || direction is not ("asc" or "desc") || parts.Any(p => p.Item1 == key))
            {
                error = $"Sort by a comma-separated list of key[:asc|desc] with distinct keys from: {string.Join(", ", Keys.Keys)}.";
                return false;
            }

            parts.Add((key, direction == "desc"));
        }

        if (parts.Count > MaxKeys)
        {
            error = $"Sort by at most {MaxKeys} keys.";
            return false;
        }

        if (parts[^1].Item1 != "id" && !parts.Any(p => p.Item1 == "id"))
        {
            parts.Add(("id", parts[^1].Item2));
        }

        sort = new ImageSort(parts);
        return true;
    }

    public IQueryable<Image> Apply(IQueryable<Image> query)
    {
        IOrderedQueryable<Image>? ordered = null;
        foreach (var (key, descending) in Parts)
        {
            var selector = Keys[key];
            var method = (ordered is null, descending) switch
            {
                (true, false) => "OrderBy",
                (true, true) => "OrderByDescending",
                (false, false) => "ThenBy",
                (false, true) => "ThenByDescending",
            };
            var source = ordered?.Expression ?? query.Expression;
            var call = Expression.Call(typeof(Queryable), method, [typeof(Image), selector.ReturnType], source, Expression.Quote(selector));
            ordered = (IOrderedQueryable<Image>)query.Provider.CreateQuery<Image>(call);
        }

        return ordered!;
    }

    // The rows after the marker in this order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, led by a
    // redundant k1 >= v1 that a database can answer with an index range.
    public Expression<Func<Image, bool>> After(Image marker)
    {
        var row = Expression.Parameter(typeof(Image), "i");
        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        foreach (var (key, descending) in Parts)
        {
            var (column, value) = Operands(key, row, marker);
            var beyond = Compare(column, value, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
            any = any is null ? beyond : Expression.OrElse(any, Expression.AndAlso(equalSoFar, beyond));
            equalSoFar = Expression.AndAlso(equalSoFar, Compare(column, value, ExpressionType.Equal));
        }

        var (firstColumn, firstValue) = Operands(Parts[0].Key, row, marker);
        var range = Compare(firstColumn, firstValue, Parts[0].Descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual);
        return Expression.Lambda<Func<Image, bool>>(Expression.AndAlso(range, any!), row);
    }

    private static (Expression Column, Expression Value) Operands(string key, ParameterExpression row, Image marker)
    {
        var selector = Keys[key];
        var column = new ParameterReplacer(selector.Parameters[0], row).Visit(selector.Body);
        var value = selector.Compile().DynamicInvoke(marker);

        // A closure-like holder makes EF Core send the marker's value as a parameter, not a literal.
        var holder = Expression.Property(Expression.Constant(new Holder(value)), nameof(Holder.Value));
        return (column, Expression.Convert(holder, selector.ReturnType));
    }

    // Strings compare with string.Compare, which EF Core translates to the column's own ordering.
    private static BinaryExpression Compare(Expression column, Expression value, ExpressionType comparison)
    {
        if (column.Type != typeof(string))
        {
            return Expression.MakeBinary(comparison, column, value);
        }

        return comparison == ExpressionType.Equal
            ? Expression.Equal(column, value)
            : Expression.MakeBinary(comparison, Expression.Call(StringCompare, column, value), Expression.Constant(0));
    }

    private sealed record Holder(object? Value);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
