"""Drawing reports: charts (PNG), the workbook (XLSX) and the PDF, from `ReportFigures`.

These functions are pure and CPU-bound; the bot runs them in a worker process so that it
keeps answering while a report is drawn.
"""
