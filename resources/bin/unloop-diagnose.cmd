@echo off
rem unloop-diagnose.cmd [--json] [FILE...]: the helpdesk command in a console. Unloop.exe is a GUI program, which
rem Windows starts without a console, so its output would go nowhere; a command script waits for it (see "start /?"),
rem collects its output and errors in temporary files, prints them here (errors on stderr, so --json output stays
rem pure JSON lines) and returns its exit code (0 done, 2 bad usage or nothing readable).
setlocal
set "UNLOOP_DIAGNOSE_OUT=%TEMP%\unloop-diagnose-%RANDOM%%RANDOM%"
"%~dp0Unloop.exe" --diagnose %* > "%UNLOOP_DIAGNOSE_OUT%.out" 2> "%UNLOOP_DIAGNOSE_OUT%.err"
set "UNLOOP_DIAGNOSE_RC=%ERRORLEVEL%"
type "%UNLOOP_DIAGNOSE_OUT%.out"
type "%UNLOOP_DIAGNOSE_OUT%.err" 1>&2
del "%UNLOOP_DIAGNOSE_OUT%.out" "%UNLOOP_DIAGNOSE_OUT%.err" >nul 2>&1
exit /b %UNLOOP_DIAGNOSE_RC%
