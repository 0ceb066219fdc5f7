// SPDX-License-Identifier: GPL-2.0

//! The `TYPE` of a `func=NAME:TYPE` entry: how the 64-bit return register of
//! a traced function is read. See `decode` for what each type produces.

/// How the raw 64-bit return value of a traced function is interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetType {
    /// Guessed from the value: an errno in either width, a kernel pointer
    /// (hashed) or else a signed number. The default.
    Auto,
    /// A C `int`: the low 32 bits, signed; -4095..=-1 is an errno.
    Int,
    /// A C `unsigned int`: the low 32 bits, unsigned.
    Uint,
    /// A C `long`: all 64 bits, signed; -4095..=-1 is an errno.
    Long,
    /// A C `unsigned long`: all 64 bits, unsigned.
    Ulong,
    /// A pointer: `NULL`, an `ERR_PTR()` or a (hashed) address.
    Ptr,
    /// A C `bool`: the low 8 bits, zero or not.
    Bool,
    /// No return value.
    Void,
}

impl RetType {
    /// Every type, in the order the documentation lists them.
    #[cfg(test)]
    pub const ALL: [RetType; 8] = [
        RetType::Auto,
        RetType::Int,
        RetType::Uint,
        RetType::Long,
        RetType::Ulong,
        RetType::Ptr,
        RetType::Bool,
        RetType::Void,
    ];

    /// The type named `s`: exactly one of `auto`, `int`, `uint`, `long`,
    /// `ulong`, `ptr`, `bool` or `void` (lowercase). `None` for anything else.
    pub fn parse(s: &str) -> Option<RetType> {
        match s {
            "auto" => Some(RetType::Auto),
            "int" => Some(RetType::Int),
            "uint" => Some(RetType::Uint),
            "long" => Some(RetType::Long),
            "ulong" => Some(RetType::Ulong),
            "ptr" => Some(RetType::Ptr),
            "bool" => Some(RetType::Bool),
            "void" => Some(RetType::Void),
            _ => None,
        }
    }

    /// The name of the type, as [`RetType::parse`] accepts it.
    pub fn name(self) -> &'static str {
        match self {
            RetType::Auto => "auto",
            RetType::Int => "int",
            RetType::Uint => "uint",
            RetType::Long => "long",
            RetType::Ulong => "ulong",
            RetType::Ptr => "ptr",
            RetType::Bool => "bool",
            RetType::Void => "void",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_name() {
        assert_eq!(RetType::parse("auto"), Some(RetType::Auto));
        assert_eq!(RetType::parse("int"), Some(RetType::Int));
        assert_eq!(RetType::parse("uint"), Some(RetType::Uint));
        assert_eq!(RetType::parse("long"), Some(RetType::Long));
        assert_eq!(RetType::parse("ulong"), Some(RetType::Ulong));
        assert_eq!(RetType::parse("ptr"), Some(RetType::Ptr));
        assert_eq!(RetType::parse("bool"), Some(RetType::Bool));
        assert_eq!(RetType::parse("void"), Some(RetType::Void));
    }

    #[test]
    fn name_is_the_inverse_of_parse() {
        for ty in RetType::ALL {
            assert_eq!(RetType::parse(ty.name()), Some(ty));
        }
        let names: [&str; 8] = RetType::ALL.map(RetType::name);
        assert_eq!(
            names,
            ["auto", "int", "uint", "long", "ulong", "ptr", "bool", "void"]
        );
    }

    #[test]
    fn rejects_other_spellings() {
        for s in [
            "", "Int", "INT", " int", "int ", "i32", "u32", "pointer", "unsigned", "char", "auto:",
            "in", "intt", "void*", "ptr\0",
        ] {
            assert_eq!(RetType::parse(s), None, "{s:?}");
        }
    }
}
