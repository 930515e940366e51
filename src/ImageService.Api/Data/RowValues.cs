using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace ImageService.Api.Data;

// SQL row-value comparisons, (key, id) > (@key, @id), for keyset paging. Both SQLite (3.15 on)
// and PostgreSQL answer one with a single index range that starts at the marker, where the
// equivalent key > @key OR (key = @key AND id > @id) reads every row that ties with the marker on
// its key first: sorted by status, that is almost the whole list. LINQ has no such operator, so
// each form is a database function translated straight to the row comparison; the methods run only
// inside a query. The key of the marker may be NULL (no such marker), and the comparison is then
// false for every row.
internal static class RowValues
{
    public static bool Greater(string key, string id, string? markerKey, string markerId) => throw OutsideQuery();

    public static bool Greater(DateTime key, string id, DateTime? markerKey, string markerId) => throw OutsideQuery();

    public static bool Greater(long key, string id, long? markerKey, string markerId) => throw OutsideQuery();

    public static bool Less(string key, string id, string? markerKey, string markerId) => throw OutsideQuery();

    public static bool Less(DateTime key, string id, DateTime? markerKey, string markerId) => throw OutsideQuery();

    public static bool Less(long key, string id, long? markerKey, string markerId) => throw OutsideQuery();

    // The comparison for a key of this type, in this direction: Greater for ascending orders.
    public static System.Reflection.MethodInfo For(Type keyType, bool descending)
    {
        var markerType = keyType.IsValueType ? typeof(Nullable<>).MakeGenericType(keyType) : keyType;
        return typeof(RowValues).GetMethod(descending ? nameof(Less) : nameof(Greater), [keyType, typeof(string), markerType, typeof(string)])
            ?? throw new InvalidOperationException($"No row comparison for keys of type {keyType}.");
    }

    public static void Register(ModelBuilder modelBuilder)
    {
        foreach (var method in typeof(RowValues).GetMethods().Where(m => m.Name is nameof(Greater) or nameof(Less)))
        {
            var comparison = method.Name == nameof(Greater) ? ExpressionType.GreaterThan : ExpressionType.LessThan;
            modelBuilder.HasDbFunction(method).HasTranslation(args => new SqlBinaryExpression(
                comparison,
                new RowValueExpression([args[0], args[1]]),
                new RowValueExpression([args[2], args[3]]),
                typeof(bool),
                null));
        }
    }

    private static InvalidOperationException OutsideQuery() =>
        new("A row-value comparison runs only inside a database query.");
}
