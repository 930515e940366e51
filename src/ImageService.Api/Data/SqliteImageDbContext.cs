using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Data;

internal sealed class SqliteImageDbContext(DbContextOptions<SqliteImageDbContext> options) : ImageDbContext(options);
