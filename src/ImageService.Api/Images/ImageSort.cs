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

    // The rows after the marker in this order. The marker's values are read in the same statement,
    // by scalar subqueries on `marker` (the marker's row, if this list may show it), so a page
    // after a marker is one query like the first page. A marker that is not there reads as NULL,
    // and no row is after it.
    //
    // The id alone: id > (marker id). One key and the id, in one direction (every other single-key
    // sort): the row value (key, id) > (marker key, marker id), one index range from the marker on.
    // Other orders: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, led by a redundant k1 >= v1 that a
    // database can answer with an index range.
    //
    // keyFixedTo is the value an equality filter fixes the first key to, if any (name=x&sort=name).
    // Then every listed row has that key and the order is the id's alone: the condition is on the
    // id only, which the (owner, key, id) index answers after its equality; a row value starting at
    // the fixed key would not narrow that index.
    public Expression<Func<Image, bool>> After(IQueryable<Image> marker, string markerId, string? keyFixedTo)
    {
        var row = Expression.Parameter(typeof(Image), "i");
        var markerIdValue = Parameter(markerId, typeof(string));
        if (Parts is [var (fixedKey, fixedDescending), ("id", var fixedIdDescending)] && fixedDescending == fixedIdDescending &&
            keyFixedTo is not null && Column(fixedKey, row).Type == typeof(string))
        {
            return AfterOnIdOnly(row, Operands(fixedKey, row, marker).Value, Parameter(keyFixedTo, typeof(string)), markerIdValue, fixedDescending);
        }

        if (Parts is [("id", var idOnlyDescending)])
        {
            return Expression.Lambda<Func<Image, bool>>(
                Compare(Column("id", row), Operands("id", row, marker).Value, idOnlyDescending ? ExpressionType.LessThan : ExpressionType.GreaterThan), row);
        }

        if (Parts is [var (onlyKey, onlyDescending), ("id", var idDescending)] && onlyDescending == idDescending)
        {
            var keyColumn = Column(onlyKey, row);
            var (_, keyValue) = Operands(onlyKey, row, marker);
            var idColumn = Column("id", row);
            return Expression.Lambda<Func<Image, bool>>(
                Expression.Call(Data.RowValues.For(keyColumn.Type, onlyDescending), keyColumn, idColumn, keyValue, markerIdValue), row);
        }

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

    // All listed rows share the key `fixedTo`; the marker's key decides: beyond it in this order,
    // every row is after the marker (the id is past the smallest string, or before the largest);
    // equal, the rows with an id past the marker's; short of it (or no marker), none (NULL).
    // Image ids are ASCII GUIDs, so U+FFFF (bytes EF BF BF) sorts after every one of them both in
    // SQLite's BINARY and PostgreSQL's "C" order.
    private static Expression<Func<Image, bool>> AfterOnIdOnly(
        ParameterExpression row, Expression markerKey, Expression fixedTo, Expression markerId, bool descending)
    {
        var beyond = Compare(fixedTo, markerKey, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
        var bound = Expression.Condition(
            beyond,
            Expression.Constant(descending ? "\uFFFF" : string.Empty),
            Expression.Condition(Expression.Equal(fixedTo, markerKey), markerId, Expression.Constant(null, typeof(string))));
        return Expression.Lambda<Func<Image, bool>>(
            Compare(Column("id", row), bound, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan), row);
    }

    private static Expression Column(string key, ParameterExpression row)
    {
        var selector = Keys[key];
        return new ParameterReplacer(selector.Parameters[0], row).Visit(selector.Body);
    }

    // The column, and the marker's value of it: (SELECT key FROM marker), nullable so that a missing
    // marker is NULL rather than the type's default. The id is the marker id itself.
    private static (Expression Column, Expression Value) Operands(string key, ParameterExpression row, IQueryable<Image> marker)
    {
        var column = Column(key, row);
        var valueType = column.Type.IsValueType ? typeof(Nullable<>).MakeGenericType(column.Type) : column.Type;
        var selector = Keys[key];
        var markerRow = selector.Parameters[0];
        var select = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Image), valueType],
            marker.Expression, Expression.Quote(Expression.Lambda(Expression.Convert(selector.Body, valueType), markerRow)));
        var value = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [valueType], select);
        return (column.Type == valueType ? column : Expression.Convert(column, valueType), value);
    }

    // A closure-like holder makes EF Core send the value as a parameter, not a literal.
    private static UnaryExpression Parameter(object? value, Type type) =>
        Expression.Convert(Expression.Property(Expression.Constant(new Holder(value)), nameof(Holder.Value)), type);

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
