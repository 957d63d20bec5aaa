/// Left-aligned text columns for the `ls` verbs.
enum TextTable {
  /// The header and rows padded to the widest cell of each column (two spaces between columns,
  /// no trailing spaces).
  static func render(header: [String], rows: [[String]]) -> [String] {
    let all = [header] + rows
    let columns = all.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in all {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return all.map { row in
      var line = ""
      for (index, cell) in row.enumerated() {
        let isLast = index == row.count - 1
        line += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
      }
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}
