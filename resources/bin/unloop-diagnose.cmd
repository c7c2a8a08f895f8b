@echo off
rem unloop-diagnose.cmd [--json] [FILE...]: the helpdesk command in a console. Unloop.exe is a GUI program, which
rem Windows starts without a console, so its output would go nowhere; a command script waits for it (see "start /?"),
rem collects its output in a temporary file, prints it here and returns its exit code (0 done, 2 bad usage or nothing readable).
setlocal
set "UNLOOP_DIAGNOSE_OUT=%TEMP%\unloop-diagnose-%RANDOM%%RANDOM%.txt"
"%~dp0Unloop.exe" --diagnose %* > "%UNLOOP_DIAGNOSE_OUT%" 2>&1
set "UNLOOP_DIAGNOSE_RC=%ERRORLEVEL%"
type "%UNLOOP_DIAGNOSE_OUT%"
del "%UNLOOP_DIAGNOSE_OUT%" >nul 2>&1
exit /b %UNLOOP_DIAGNOSE_RC%
