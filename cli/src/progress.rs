//! Progress of a long run on stderr: one redrawn bar on a terminal
//! (`describing [=====>    ] 120/800`), plain lines otherwise (`described 100/800 objects`)
//! so logs of CI runs stay readable.

use std::io::Write;

use crate::{stream_error, Result};

/// Width of the bar between the brackets.
const BAR_WIDTH: usize = 30;

/// Reports `done/total` as work completes.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: usize,
    terminal: bool,
    /// A bar was drawn and not yet ended with a newline.
    drawn: bool,
}

impl Progress {
    /// Progress towards `total` items; `terminal` selects the bar over plain lines.
    pub fn new(total: usize, terminal: bool) -> Self {
        Progress {
            total,
            done: 0,
            terminal,
            drawn: false,
        }
    }

    /// Draws the empty bar (a terminal only: plain output starts with the first step).
    pub fn start(&mut self, out: &mut dyn Write) -> Result<()> {
        if self.terminal && self.total > 0 {
            self.draw(out)?;
        }
        Ok(())
    }

    /// Records `count` more finished items and redraws the bar or prints a line.
    pub fn advance(&mut self, count: usize, out: &mut dyn Write) -> Result<()> {
        self.done = (self.done + count).min(self.total);
        if self.terminal {
            self.draw(out)
        } else {
            writeln!(out, "described {}/{} objects", self.done, self.total)
                .map_err(stream_error("<stderr>"))
        }
    }

    /// Ends the bar's line, so what follows starts on a fresh line.
    pub fn finish(&mut self, out: &mut dyn Write) -> Result<()> {
        if self.drawn {
            self.drawn = false;
            writeln!(out).map_err(stream_error("<stderr>"))?;
        }
        Ok(())
    }

    fn draw(&mut self, out: &mut dyn Write) -> Result<()> {
        self.drawn = true;
        write!(out, "\r{}", bar(self.done, self.total))
            .and_then(|()| out.flush())
            .map_err(stream_error("<stderr>"))
    }
}

/// `describing [=====>    ] 120/800`.
pub fn bar(done: usize, total: usize) -> String {
    // Nothing to do is all done.
    let filled = (done.min(total) * BAR_WIDTH)
        .checked_div(total)
        .unwrap_or(BAR_WIDTH);
    let mut bar = "=".repeat(filled);
    if filled < BAR_WIDTH {
        bar.push('>');
        bar.push_str(&" ".repeat(BAR_WIDTH - filled - 1));
    }
    format!("describing [{bar}] {done}/{total}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(
            bar(0, 800),
            "describing [>                             ] 0/800"
        );
        assert_eq!(
            bar(400, 800),
            "describing [===============>              ] 400/800"
        );
        assert_eq!(
            bar(800, 800),
            "describing [==============================] 800/800"
        );
        assert_eq!(bar(0, 0).len(), bar(800, 800).len() - 4);
    }

    #[test]
    fn terminal_redraws_one_line_and_plain_prints_lines() {
        let mut out = Vec::new();
        let mut progress = Progress::new(150, true);
        progress.start(&mut out).unwrap();
        progress.advance(100, &mut out).unwrap();
        progress.advance(50, &mut out).unwrap();
        progress.finish(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\r').count(), 3);
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.ends_with("] 150/150\n"), "{text:?}");

        let mut out = Vec::new();
        let mut progress = Progress::new(150, false);
        progress.start(&mut out).unwrap();
        progress.advance(100, &mut out).unwrap();
        progress.advance(50, &mut out).unwrap();
        progress.finish(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "described 100/150 objects\ndescribed 150/150 objects\n"
        );
    }
}
